import { AsixError } from "../errors";
import { encodeHashId } from "../hashids";
import { requireIdentityUrl, requireWallet, type AsixClient } from "../client";
import { signData, verificationStartData } from "../signatures";
import { waitForIndexed, type WriteReceipt } from "../writes";
import { requestJson, type CallOptions } from "../http";
import { withBudget } from "../callBudget";
import { resolveUserId } from "./currentUser";

/** Options of social verification. */
export interface VerificationUrlParameters {
  /** which account at the provider (the devnet's provider picks it without a form) */
  loginHint?: string;
}

/**
 * The URL that starts social verification (OAuth 2.0 with PKCE) for the wallet's user: open it in
 * a browser; the provider sends the browser back to the identity service, whose verifier wallet
 * then marks the user verified on chain.
 */
export async function getVerificationUrl(client: AsixClient, params: VerificationUrlParameters = {}, options: CallOptions = {}): Promise<string> {
  const identityUrl = requireIdentityUrl(client, "users.verify");
  const wallet = requireWallet(client, "users.verify");
  const userId = await resolveUserId(client, "users.verify", options);
  const timestamp = Date.now();
  const query = new URLSearchParams({
    userId: encodeHashId(userId),
    wallet: await wallet.getAddress(),
    timestamp: String(timestamp),
    signature: await signData(wallet, verificationStartData(userId, timestamp)),
  });
  if (params.loginHint) query.set("login_hint", params.loginHint);
  return `${identityUrl}/verification/start?${query}`;
}

/** Options of `users.verify`: `signal` (ABORTED) and `timeoutMs` (TIMEOUT) bound the whole verification, indexing included. */
export interface VerifyUserParameters extends VerificationUrlParameters, CallOptions {}

export interface VerifyUserResult extends WriteReceipt {
  /** the account at the provider that vouched for the user */
  providerSubject: string;
}

/**
 * Run the whole verification without a browser, following the redirects as one would: works with
 * providers that pick the account from `loginHint` (the devnet's). Returns once the discovery node
 * shows the user verified.
 */
export async function verifyUser(client: AsixClient, params: VerifyUserParameters = {}): Promise<VerifyUserResult> {
  return withBudget(params, "users.verify", async (budget) => {
    const url = await getVerificationUrl(client, { loginHint: params.loginHint }, budget.next());
    const body = await requestJson<{ isVerified?: boolean; providerSubject?: string; receipt?: WriteReceipt } | undefined>(
      client,
      { url, redirect: "follow", ...budget.next() },
      "verification",
    );
    if (!body?.isVerified || !body.receipt) {
      throw new AsixError("UNAUTHORIZED", "the provider did not vouch for this account (or needs a browser: use getVerificationUrl)");
    }
    const receipt = { blockHash: body.receipt.blockHash, blockNumber: Number(body.receipt.blockNumber), transactionHash: body.receipt.transactionHash };
    await waitForIndexed(client, receipt, budget.next());
    return { ...receipt, providerSubject: body.providerSubject ?? "" };
  });
}
