import { getAddress, isAddress, isHexString, Signature, TypedDataEncoder, verifyTypedData, type Interface, type JsonRpcProvider, type TypedDataDomain } from "ethers";
import {
  DELEGATE_STAKE_TYPES,
  INCREASE_STAKE_TYPES,
  PERMIT_TYPES,
  delegateManagerDomain,
  permitDomain,
  serviceProviderFactoryDomain,
  type GaslessContracts,
} from "../../../sdk/staking/protocol";
import { AsixError } from "../../../sdk/errors";
import { ETH_CONTRACTS } from "../../../sdk/protocol/ethContracts";

/**
 * What POST /eth_relay will send, and the checks that come first. Three calls are whitelisted:
 *   Token.permit                            spender Staking (as before: an allowance, nothing staked)
 *   DelegateManager.delegateStakeFor        the delegator's permit plus its signed DelegateStake
 *   ServiceProviderFactory.increaseStakeFor the operator's permit plus its signed IncreaseStake
 * Each signature is recovered against the chain's current nonces before anything is sent, so a
 * tampered, foreign, replayed or expired call is refused with a 4xx and costs no gas.
 */

/** The contracts /eth_relay sends to (sdk/protocol/ethContracts' address record). */
export type EthRelayContracts = GaslessContracts;

/** The JSON body of POST /eth_relay (as POST /relay's). */
export interface EthRelayRequest {
  contractRegistryKey: string;
  contractAddress: string;
  encodedABI: string;
  senderAddress: string;
}

/** A call that passed every check and may be dry-run and sent. */
export interface CheckedEthCall {
  to: string;
  data: string;
  gasLimit: bigint;
  /** the wallet that signed, whose daily limit it counts against */
  signer: string;
  method: "permit" | "delegateStakeFor" | "increaseStakeFor";
  /** EIP-712 digest of the signed action (the permit's for Token.permit), for the log */
  digest: string;
}

// Caps for the dry run and the relayed transaction, with room over the most each call spends
// (delegateStakeFor ≈ 320k as a node's first delegator, increaseStakeFor ≈ 215k; permit ≈ 75k).
const PERMIT_GAS = 120_000n;
const DELEGATE_STAKE_FOR_GAS = 450_000n;
const INCREASE_STAKE_FOR_GAS = 300_000n;

const token = ETH_CONTRACTS.token.factory.createInterface();
const delegateManager = ETH_CONTRACTS.delegateManager.factory.createInterface();
const serviceProviderFactory = ETH_CONTRACTS.serviceProviderFactory.factory.createInterface();

/** Registry key → the one method relayed on that contract. */
const WHITELIST: Record<string, { contract: keyof EthRelayContracts; iface: Interface; method: CheckedEthCall["method"] }> = {
  Token: { contract: "token", iface: token, method: "permit" },
  DelegateManager: { contract: "delegateManager", iface: delegateManager, method: "delegateStakeFor" },
  ServiceProviderFactory: { contract: "serviceProviderFactory", iface: serviceProviderFactory, method: "increaseStakeFor" },
};

export const ETH_RELAY_WHITELIST = Object.entries(WHITELIST).map(([key, { method }]) => `${key}.${method}`);

/** A parsed, whitelisted call whose signer is senderAddress; verify() checks it against the chain. */
export interface ParsedEthCall {
  signer: string;
  verify(): Promise<CheckedEthCall>;
}

export function ethRelayWhitelist(provider: JsonRpcProvider, chainId: number, addresses: EthRelayContracts) {
  const a = {
    token: getAddress(addresses.token),
    staking: getAddress(addresses.staking),
    delegateManager: getAddress(addresses.delegateManager),
    serviceProviderFactory: getAddress(addresses.serviceProviderFactory),
  };
  const contracts = {
    token: ETH_CONTRACTS.token.factory.connect(a.token, provider),
    delegateManager: ETH_CONTRACTS.delegateManager.factory.connect(a.delegateManager, provider),
    serviceProviderFactory: ETH_CONTRACTS.serviceProviderFactory.factory.connect(a.serviceProviderFactory, provider),
  };
  const domains = {
    permit: permitDomain(chainId, a.token),
    delegateManager: delegateManagerDomain(chainId, a.delegateManager),
    serviceProviderFactory: serviceProviderFactoryDomain(chainId, a.serviceProviderFactory),
  };

  const latestTimestamp = async () => BigInt((await provider.getBlock("latest"))!.timestamp);

  /** The address that signed typed data, or undefined for a malformed signature. */
  function recover(domain: TypedDataDomain, types: Record<string, { name: string; type: string }[]>, message: Record<string, unknown>, signature: string) {
    try {
      return getAddress(verifyTypedData(domain, types, message, signature));
    } catch {
      return undefined;
    }
  }

  function permitSignature(permit: { v: bigint; r: string; s: string }): string {
    try {
      return Signature.from({ v: Number(permit.v), r: permit.r, s: permit.s }).serialized;
    } catch (cause) {
      throw new AsixError("UNAUTHORIZED", "the permit signature is malformed", { cause });
    }
  }

  /**
   * The permit must be the owner's at the token's current nonce, unless the allowance already
   * covers the amount (the contracts accept a spent permit then, as after a front-run). Returns the
   * permit's digest when it was checked.
   */
  async function checkPermit(
    owner: string, value: bigint, deadline: bigint, v: bigint, r: string, s: string, now: bigint, requireFresh: boolean,
  ): Promise<string | undefined> {
    const signature = permitSignature({ v, r, s });
    const [nonce, allowance] = await Promise.all([contracts.token.nonces(owner), contracts.token.allowance(owner, a.staking)]);
    if (!requireFresh && allowance >= value) return undefined;
    if (deadline <= now) throw new AsixError("INVALID_INPUT", "the permit's deadline has passed");
    const permitAt = (n: bigint) => ({ owner, spender: a.staking, value, nonce: n, deadline });
    const signerAt = (n: bigint) => recover(domains.permit, PERMIT_TYPES, permitAt(n), signature);
    if (signerAt(nonce) === owner) return TypedDataEncoder.hash(domains.permit, PERMIT_TYPES, permitAt(nonce));
    if (nonce > 0n && signerAt(nonce - 1n) === owner) throw new AsixError("CONFLICT", "this permit was already used (replay)");
    throw new AsixError("UNAUTHORIZED", "the permit is not signed by its owner (tampered or wrong signer)");
  }

  /** The signed action: deadline, then the contract's nonce for `signer`, then the signature. */
  async function checkAction(
    what: string,
    nonces: (account: string) => Promise<bigint>,
    domain: TypedDataDomain,
    types: Record<string, { name: string; type: string }[]>,
    message: Record<string, unknown> & { nonce: bigint; deadline: bigint },
    signer: string,
    signature: string,
    now: bigint,
  ): Promise<string> {
    if (message.deadline <= now) throw new AsixError("INVALID_INPUT", `the ${what} signature's deadline has passed`);
    const current = await nonces(signer);
    if (message.nonce < current) throw new AsixError("CONFLICT", `this ${what} was already relayed (replay: nonce ${message.nonce}, next is ${current})`);
    if (message.nonce > current) throw new AsixError("INVALID_INPUT", `the ${what} nonce ${message.nonce} is ahead of the wallet's next nonce ${current}`);
    if (recover(domain, types, message, signature) !== signer) {
      throw new AsixError("UNAUTHORIZED", `the ${what} is not signed by ${signer} (tampered, wrong signer, or another chain or contract)`);
    }
    return TypedDataEncoder.hash(domain, types, message);
  }

  /** Check the body's shape and whitelist; throws INVALID_INPUT / UNAUTHORIZED. No chain reads. */
  function parse(body: Partial<EthRelayRequest>): ParsedEthCall {
    if (typeof body.encodedABI !== "string" || !isHexString(body.encodedABI)) throw new AsixError("INVALID_INPUT", "eth_relay body: encodedABI must be 0x-prefixed hex calldata");
    if (typeof body.senderAddress !== "string" || !isAddress(body.senderAddress)) throw new AsixError("INVALID_INPUT", "eth_relay body: senderAddress must be an address");
    const entry = typeof body.contractRegistryKey === "string" && Object.hasOwn(WHITELIST, body.contractRegistryKey) ? WHITELIST[body.contractRegistryKey] : undefined;
    if (!entry || typeof body.contractAddress !== "string" || !isAddress(body.contractAddress) || getAddress(body.contractAddress) !== a[entry.contract]) {
      throw new AsixError("INVALID_INPUT", `only ${ETH_RELAY_WHITELIST.join(", ")} are relayed on the eth chain; this contract is not whitelisted`);
    }
    const data = body.encodedABI;
    let call;
    try {
      call = entry.iface.parseTransaction({ data });
    } catch (cause) {
      throw new AsixError("INVALID_INPUT", `encodedABI is not valid ${body.contractRegistryKey} calldata`, { cause });
    }
    if (!call || call.name !== entry.method) {
      throw new AsixError("INVALID_INPUT", `only ${body.contractRegistryKey}.${entry.method} is relayed on this contract; this method is not whitelisted`);
    }
    const sender = getAddress(body.senderAddress);
    const requireSigner = (signer: string, role: string) => {
      if (getAddress(signer) !== sender) throw new AsixError("UNAUTHORIZED", `the ${role} is not senderAddress`);
      return sender;
    };

    if (entry.method === "permit") {
      const [owner, spender, value, deadline, v, r, s] = call.args as unknown as [string, string, bigint, bigint, bigint, string, string];
      const signer = requireSigner(owner, "permit's owner");
      if (getAddress(spender) !== a.staking) throw new AsixError("INVALID_INPUT", "a relayed permit may only approve the Staking contract");
      if (value === 0n) throw new AsixError("INVALID_INPUT", "a relayed permit must approve a positive amount");
      return {
        signer,
        async verify() {
          const digest = (await checkPermit(signer, value, deadline, v, r, s, await latestTimestamp(), true))!;
          return { to: a.token, data, gasLimit: PERMIT_GAS, signer, method: "permit", digest };
        },
      };
    }

    if (entry.method === "delegateStakeFor") {
      const [delegator, serviceProvider, amount, permit, nonce, deadline, signature] = call.args as unknown as [
        string, string, bigint, { deadline: bigint; v: bigint; r: string; s: string }, bigint, bigint, string,
      ];
      const signer = requireSigner(delegator, "delegator");
      if (amount === 0n) throw new AsixError("INVALID_INPUT", "a relayed delegation must be of a positive amount");
      return {
        signer,
        async verify() {
          const now = await latestTimestamp();
          const message = { delegator: signer, serviceProvider: getAddress(serviceProvider), amount, nonce, deadline };
          const digest = await checkAction("delegation", (x) => contracts.delegateManager.nonces(x), domains.delegateManager, DELEGATE_STAKE_TYPES, message, signer, signature, now);
          await checkPermit(signer, amount, permit.deadline, permit.v, permit.r, permit.s, now, false);
          return { to: a.delegateManager, data, gasLimit: DELEGATE_STAKE_FOR_GAS, signer, method: "delegateStakeFor", digest };
        },
      };
    }

    const [owner, amount, permit, nonce, deadline, signature] = call.args as unknown as [
      string, bigint, { deadline: bigint; v: bigint; r: string; s: string }, bigint, bigint, string,
    ];
    const signer = requireSigner(owner, "operator (owner)");
    if (amount === 0n) throw new AsixError("INVALID_INPUT", "a relayed stake increase must be of a positive amount");
    return {
      signer,
      async verify() {
        const now = await latestTimestamp();
        const message = { owner: signer, amount, nonce, deadline };
        const digest = await checkAction("stake increase", (x) => contracts.serviceProviderFactory.nonces(x), domains.serviceProviderFactory, INCREASE_STAKE_TYPES, message, signer, signature, now);
        await checkPermit(signer, amount, permit.deadline, permit.v, permit.r, permit.s, now, false);
        return { to: a.serviceProviderFactory, data, gasLimit: INCREASE_STAKE_FOR_GAS, signer, method: "increaseStakeFor", digest };
      },
    };
  }

  return { parse };
}
