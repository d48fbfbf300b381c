import { expect } from "chai";
import axios from "axios";
import { Wallet, type HDNodeWallet } from "ethers";
import { DEVNET_ROLES, devnetPrivateKey } from "../../../devnet/accounts";
import { verificationStartData } from "../../../devnet/services/identity-service";
import { DEVNET_OAUTH_ACCOUNTS, startDevnetOAuth, type RunningOAuthProvider } from "../../../devnet/oauthProvider";
import { entityManagerInterface } from "../../../sdk/eip712";
import { encodeHashId } from "../../../sdk/hashids";
import { signData } from "../../../sdk/signatures";
import { createUser as createIndexedUser, startIdentityFixture, nonces, type IdentityFixture } from "./fixture";
import { startDataChain, type DataChainFixture } from "../../helpers/dataChain";


describe("identity service: social verification (OAuth 2.0 + PKCE)", function () {
  let fx: DataChainFixture;
  let oauth: RunningOAuthProvider;
  let client: { clientId: string; clientSecret?: string };
  let f: IdentityFixture;
  const verifierAddress = new Wallet(devnetPrivateKey(DEVNET_ROLES.verifier)).address;

  before(async () => {
    fx = await startDataChain();
    // a second verified account, so each test can use an account no other test has used
    const devnetOAuth = await startDevnetOAuth({ accounts: [...DEVNET_OAUTH_ACCOUNTS, { username: "label-owner", name: "Label Owner", verified: true }] });
    oauth = devnetOAuth.provider;
    client = devnetOAuth.oauth;
    f = await startIdentityFixture({ verifierPrivateKey: devnetPrivateKey(DEVNET_ROLES.verifier), oauth: devnetOAuth.oauth }, fx);
    devnetOAuth.register(f.service.url);
  });
  after(async () => {
    await f?.close();
    await oauth?.stop();
    await fx?.close();
  });

  /** A user created on chain through the relay, owned by a fresh wallet, once indexed. */
  async function createUser(userId: number): Promise<HDNodeWallet> {
    return (await createIndexedUser(f, Wallet.createRandom(), userId)).wallet as HDNodeWallet;
  }

  async function startUrl(wallet: Wallet | HDNodeWallet, userId: number, loginHint?: string): Promise<string> {
    const timestamp = Date.now();
    const signature = await signData(wallet, verificationStartData(userId, timestamp));
    const q = new URLSearchParams({ userId: String(userId), wallet: wallet.address, timestamp: String(timestamp), signature });
    if (loginHint) q.set("login_hint", loginHint);
    return `${f.service.url}/verification/start?${q}`;
  }

  async function verifiedEvents(fromBlock: number) {
    const topic = entityManagerInterface.getEvent("ManageIsVerified")!.topicHash;
    const logs = await fx.provider.getLogs({ address: fx.entityManagerAddress, topics: [topic], fromBlock, toBlock: "latest" });
    return Promise.all(
      logs.map(async (l) => {
        const ev = entityManagerInterface.parseLog(l)!;
        const tx = await fx.provider.getTransaction(l.transactionHash);
        return { userId: ev.args._userId as bigint, isVerified: ev.args._isVerified as boolean, from: tx!.from };
      }),
    );
  }

  it("verifies a user end to end through real redirects, ending in ManageIsVerified and is_verified in the API", async () => {
    const userId = 3000010;
    const wallet = await createUser(userId);
    const fromBlock = (await fx.provider.getBlockNumber()) + 1;
    // one GET; the HTTP client follows identity → provider /authorize → identity /verification/callback
    const res = await axios.get(await startUrl(wallet, userId, "devnet-artist"), { maxRedirects: 5, validateStatus: () => true });
    expect(res.status, JSON.stringify(res.data)).to.equal(200);
    expect(res.request._redirectable._redirectCount).to.equal(2);
    expect(res.request.res.responseUrl).to.match(new RegExp(`^${f.service.url}/verification/callback\\?code=`));
    expect(res.data).to.include({ userId, isVerified: true, providerSubject: "sub-devnet-artist" });
    expect(await verifiedEvents(fromBlock)).to.deep.equal([{ userId: BigInt(userId), isVerified: true, from: verifierAddress }]);

    const deadline = Date.now() + 20_000;
    let user: { is_verified?: boolean } | undefined;
    while (Date.now() < deadline) {
      const r = await axios.get(`${f.discovery.url}/v1/users/${encodeHashId(userId)}`, { validateStatus: () => true });
      user = r.data?.data;
      if (user?.is_verified) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(user?.is_verified).to.equal(true);
  });

  it("walks the same flow hop by hop: PKCE is enforced and codes and states are single-use", async () => {
    const userId = 3000011;
    const wallet = await createUser(userId);
    const noFollow = { maxRedirects: 0, validateStatus: () => true } as const;
    const start = await axios.get(await startUrl(wallet, userId, "devnet-artist"), noFollow);
    expect(start.status).to.equal(302);
    const authorize = new URL(start.headers.location);
    expect(`${authorize.origin}${authorize.pathname}`).to.equal(oauth.authorizeUrl);
    expect(authorize.searchParams.get("code_challenge_method")).to.equal("S256");
    const back = await axios.get(authorize.toString(), noFollow);
    expect(back.status).to.equal(302);
    const callback = new URL(back.headers.location);
    const code = callback.searchParams.get("code")!;
    // a thief with the code but not the verifier gets nothing, and burns the code
    const stolen = await axios.post(
      oauth.tokenUrl,
      new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: `${f.service.url}/verification/callback`, client_id: client.clientId, code_verifier: "x".repeat(43) }).toString(),
      { auth: { username: client.clientId, password: client.clientSecret! }, validateStatus: () => true },
    );
    expect(stolen.status).to.equal(400);
    expect(stolen.data.error).to.equal("invalid_grant");
    const block = await fx.provider.getBlockNumber();
    const late = await axios.get(callback.toString(), { validateStatus: () => true });
    expect(late.status).to.equal(401);
    expect(late.data.error.message).to.match(/token exchange failed: invalid_grant/);
    const replay = await axios.get(callback.toString(), { validateStatus: () => true });
    expect(replay.status).to.equal(400);
    expect(replay.data.error.message).to.match(/unknown or expired OAuth state/);
    expect(await fx.provider.getBlockNumber()).to.equal(block);
  });

  it("lets one provider account verify one user only: a second user gets 409 and no verifier transaction", async () => {
    const first = 3000014;
    const second = 3000015;
    const [a, b] = [await createUser(first), await createUser(second)];
    const res = await axios.get(await startUrl(a, first, "label-owner"), { validateStatus: () => true });
    expect(res.status, JSON.stringify(res.data)).to.equal(200);
    const fromBlock = (await fx.provider.getBlockNumber()) + 1;
    const before = await nonces(fx, [verifierAddress]);
    const again = await axios.get(await startUrl(b, second, "label-owner"), { validateStatus: () => true });
    expect(again.status, JSON.stringify(again.data)).to.equal(409);
    expect(again.data.error.code).to.equal("CONFLICT");
    expect(again.data.error.message).to.match(/already verifies another user/);
    expect(await nonces(fx, [verifierAddress])).to.deep.equal(before);
    expect(await verifiedEvents(fromBlock)).to.deep.equal([]);
    // the account's own user may verify again
    const same = await axios.get(await startUrl(a, first, "label-owner"), { validateStatus: () => true });
    expect(same.status, JSON.stringify(same.data)).to.equal(200);
  });

  it("refuses an account the provider does not vouch for, with no transaction from the verifier", async () => {
    const userId = 3000012;
    const wallet = await createUser(userId);
    const before = await nonces(fx, [verifierAddress]);
    const res = await axios.get(await startUrl(wallet, userId, "devnet-fan"), { validateStatus: () => true });
    expect(res.status).to.equal(401);
    expect(res.data.error.message).to.match(/not a verified account/);
    expect(await nonces(fx, [verifierAddress])).to.deep.equal(before);
  });

  it("refuses to start for a wallet that does not own the user, or a user that does not exist", async () => {
    const userId = 3000013;
    await createUser(userId);
    const intruder = Wallet.createRandom();
    const notOwner = await axios.get(await startUrl(intruder, userId, "devnet-artist"), { maxRedirects: 0, validateStatus: () => true });
    expect(notOwner.status).to.equal(401);
    expect(notOwner.data.error.message).to.match(/belongs to another wallet/);
    const missing = await axios.get(await startUrl(intruder, 3999999, "devnet-artist"), { maxRedirects: 0, validateStatus: () => true });
    expect(missing.status).to.equal(404);
    const badSig = (await startUrl(intruder, userId)).replace(/signature=0x[0-9a-f]{4}/, "signature=0x0000");
    const forged = await axios.get(badSig, { maxRedirects: 0, validateStatus: () => true });
    expect(forged.status).to.equal(401);
  });

  it("the provider refuses an unregistered redirect URI or a request without PKCE", async () => {
    const base = { response_type: "code", client_id: client.clientId, state: "s" };
    const foreign = await axios.get(oauth.authorizeUrl, {
      params: { ...base, redirect_uri: "http://127.0.0.1:1/steal", code_challenge: "a".repeat(43), code_challenge_method: "S256" },
      maxRedirects: 0,
      validateStatus: () => true,
    });
    expect(foreign.status).to.equal(400);
    expect(foreign.data.error).to.equal("invalid_request");
    const noPkce = await axios.get(oauth.authorizeUrl, {
      params: { ...base, redirect_uri: `${f.service.url}/verification/callback`, login_hint: "devnet-artist" },
      maxRedirects: 0,
      validateStatus: () => true,
    });
    expect(noPkce.status).to.equal(302);
    expect(new URL(noPkce.headers.location).searchParams.get("error")).to.equal("invalid_request");
  });
});
