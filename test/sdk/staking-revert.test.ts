import { expect } from "chai";
import { AbiCoder, encodeBytes32String, makeError, parseEther, Wallet } from "ethers";
import { createClient } from "../../sdk/client";
import { isAsixError } from "../../sdk/errors";
import { ETH_CONTRACT_ERRORS, KNOWN_REVERTS, formatAudio, jsonSafe, parseAudio, toAsixError, createStakingApi } from "../../sdk/staking";
import { createGovernanceApi } from "../../sdk/governance";

const AUDIO = (n: string | number) => parseEther(String(n));
const who = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

/** What ethers throws when a call reverts with `data`. */
function reverted(data: string) {
  return makeError("execution reverted", "CALL_EXCEPTION", { action: "estimateGas", data, reason: null, transaction: { to: null, data: "0x" }, invocation: null, revert: null });
}
const decode = (name: string, args: unknown[], serviceType?: string) =>
  toAsixError(reverted(ETH_CONTRACT_ERRORS.encodeErrorResult(name, args)), { action: "test", serviceType });

describe("staking SDK: revert messages and AUDIO amounts", () => {
  it("has a message for every custom error of every eth contract", () => {
    const names = new Set<string>();
    ETH_CONTRACT_ERRORS.forEachError((e) => {
      names.add(e.name);
    });
    expect([...names].filter((n) => !KNOWN_REVERTS.includes(n))).to.deep.equal([]);
  });

  it("names the service type and formats amounts in AUDIO", () => {
    const e = decode("StakeBelowMinimum", [AUDIO(150_000), AUDIO(200_000)], "content-node");
    expect(e.code).to.equal("CHAIN_REVERTED");
    expect(e.message).to.equal("test: stake 150000 AUDIO is below the content-node minimum 200000 AUDIO");
    expect(e.details).to.deep.include({ error: "StakeBelowMinimum", args: { stake: AUDIO(150_000), minimum: AUDIO(200_000) } });
    expect(decode("StakeAboveMaximum", [AUDIO("10000000.5"), AUDIO(10_000_000)]).message).to.equal(
      "test: stake 10000000.5 AUDIO is above the operator's maximum 10000000 AUDIO",
    );
  });

  it("decodes bytes32 service types, lockup blocks and proposal outcomes", () => {
    expect(decode("InvalidServiceType", [encodeBytes32String("relay")]).message).to.equal("test: relay is not a valid service type");
    expect(decode("LockupNotEnded", [120n, 115n]).message).to.equal("test: the lockup ends at block 120 (current block 115)");
    expect(decode("ProposalNotInProgress", [3n, 2n]).message).to.equal("test: proposal 3 is no longer in progress (ApprovedExecuted)");
    expect(decode("DelegationBelowMinimum", [AUDIO(50), AUDIO(100)]).message).to.equal("test: delegation 50 AUDIO is below the minimum delegation 100 AUDIO");
    expect(decode("ERC20InsufficientBalance", [who, AUDIO("0.25"), AUDIO(1)]).message).to.equal(`test: ${who} holds 0.25 AUDIO, less than 1 AUDIO`);
  });

  it("reads Solidity's built-in Error(string) and Panic(uint256)", () => {
    const error = toAsixError(reverted("0x08c379a0" + AbiCoder.defaultAbiCoder().encode(["string"], ["not allowed"]).slice(2)), { action: "test" });
    expect(error.message).to.equal("test: not allowed");
    const panic = toAsixError(reverted("0x4e487b71" + AbiCoder.defaultAbiCoder().encode(["uint256"], [0x11]).slice(2)), { action: "test" });
    expect(panic.message).to.equal("test: panic 0x11 (arithmetic overflow or underflow)");
  });

  it("maps reverts without custom errors, and unreachable RPCs", () => {
    const plain = toAsixError(makeError("execution reverted", "CALL_EXCEPTION", { action: "call", data: null, reason: "boom", transaction: { to: null, data: "0x" }, invocation: null, revert: null }), { action: "x" });
    expect(plain.code).to.equal("CHAIN_REVERTED");
    expect(plain.message).to.contain("boom");
    const down = toAsixError(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }), { action: "x" });
    expect(down.code).to.equal("NODE_UNAVAILABLE");
  });

  it("parses AUDIO amounts from the command line and rejects anything else", () => {
    expect(parseAudio("200000")).to.equal(AUDIO(200_000));
    expect(parseAudio(" 1.5 ")).to.equal(AUDIO("1.5"));
    expect(parseAudio("0.000000000000000001")).to.equal(1n);
    for (const bad of ["", "-1", "1e3", "abc", "1.2.3", "0x10", "0.0000000000000000001"]) {
      expect(() => parseAudio(bad), bad).to.throw().that.satisfies((e: unknown) => isAsixError(e, "INVALID_INPUT"));
    }
    expect(formatAudio(AUDIO("1.5"))).to.equal("1.5 AUDIO");
    expect(formatAudio(0n)).to.equal("0 AUDIO");
    expect(jsonSafe({ a: 1n, b: [2n, { c: 3n }], d: "x", e: null })).to.deep.equal({ a: "1", b: ["2", { c: "3" }], d: "x", e: null });
  });

  it("checks inputs before touching the chain", async () => {
    // an RPC that does not exist: any call that reached it would fail with NODE_UNAVAILABLE, not INVALID_INPUT
    const contracts = Object.fromEntries(
      ["token", "registry", "serviceTypeManager", "staking", "serviceProviderFactory", "delegateManager", "claimsManager", "governance"].map((k) => [k, who]),
    );
    const client = createClient({
      network: { discoveryUrl: "http://127.0.0.1:9", dataChain: { chainId: 1, entityManagerAddress: who }, ethChain: { chainId: 31337, rpcUrl: "http://127.0.0.1:9", contracts } },
      wallet: Wallet.createRandom(),
    });
    const staking = createStakingApi(client);
    const governance = createGovernanceApi(client);
    const invalid = async (p: Promise<unknown>) => {
      const e = await p.then(() => undefined, (err: unknown) => err);
      expect(isAsixError(e, "INVALID_INPUT"), String(e)).to.equal(true);
    };
    await invalid(staking.transfer("0x1234", 1n));
    await invalid(staking.transfer(who, 0n));
    await invalid(staking.delegate(who, 1 as unknown as bigint));
    await invalid(staking.register({ type: "content-node", endpoint: "not a url", stake: AUDIO(200_000) }));
    await invalid(staking.register({ type: "relay" as "content-node", endpoint: "http://x", stake: AUDIO(200_000) }));
    await invalid(staking.listServiceProviders("relay" as "content-node"));
    await invalid(staking.getDelegators("nobody"));
    await invalid(governance.propose({ target: "ClaimsManager", functionSignature: "not a signature(", args: [], name: "n", description: "" }));
    await invalid(governance.propose({ target: "ClaimsManager", functionSignature: "updateFundingAmount(uint256)", args: ["many"], name: "n", description: "" }));
    await invalid(governance.propose({ target: "ClaimsManager", functionSignature: "updateFundingAmount(uint256)", args: [1], name: "", description: "" }));
    await invalid(governance.vote(1, "Maybe" as "Yes"));
    await invalid(governance.vote(0, "Yes"));
    // and the RPC really is unreachable
    const down = await staking.balanceOf(who).then(() => undefined, (err: unknown) => err);
    expect(isAsixError(down, "NODE_UNAVAILABLE"), String(down)).to.equal(true);
  });
});
