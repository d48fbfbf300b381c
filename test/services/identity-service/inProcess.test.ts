import { expect } from "chai";
import { Wallet } from "ethers";
import { entityManagerInterface } from "../../../sdk/eip712";
import { startDataChain, type DataChainFixture } from "../../helpers/dataChain";
import { createUser, DATA_CHAIN_ID, manageEntityEvents, nonces, post, relayBody, startIdentityFixture, type IdentityFixture } from "./fixture";

/**
 * Inside the devnet the identity service calls the data chain's provider directly (no HTTP): the
 * same refusals must come out of it, a contract revert read from the in-process error as from
 * ethers' over HTTP.
 */
describe("identity service: relay to an in-process data chain", function () {
  let chain: DataChainFixture;
  let f: IdentityFixture;
  const user = Wallet.createRandom();
  let me: number;

  before(async () => {
    chain = await startDataChain();
    const dataChain = { rpcUrl: chain.chain.url, chainId: DATA_CHAIN_ID, entityManagerAddress: chain.entityManagerAddress, inProcess: chain.chain.provider };
    f = await startIdentityFixture({ dataChain }, chain);
    ({ userId: me } = await createUser(f, user));
  });
  after(async () => {
    await f?.close();
    chain?.provider.destroy(); // the last test closed the chain's server
  });

  const follow = (entityId: number) => relayBody(f.fx, user, { userId: me, entityType: "User", entityId, action: "Follow", metadata: "" });

  it("recovers the signer with the chain's ecrecover: a tampered call is not the sender's, and a void signature is no one's", async () => {
    const body = await follow(4);
    const args = [...entityManagerInterface.decodeFunctionData("manageEntity", body.encodedABI)];
    const before = await nonces(f.fx, f.relayerAddresses);
    const tampered = await post(`${f.service.url}/relay`, { ...body, encodedABI: entityManagerInterface.encodeFunctionData("manageEntity", [args[0], args[1], 10n, ...args.slice(3)]) });
    expect(tampered.status).to.equal(401);
    expect(tampered.data.error.message).to.match(/not made by senderAddress/);
    args[6] = "0x" + "00".repeat(65);
    const void_ = await post(`${f.service.url}/relay`, { ...body, encodedABI: entityManagerInterface.encodeFunctionData("manageEntity", args) });
    expect(void_.status).to.equal(401);
    expect(void_.data.error.message).to.match(/does not recover/);
    // well formed, but r = 5 is no point's x coordinate (5^3 + 7 is not a square mod p): the precompile answers nothing
    args[6] = "0x" + "05".padStart(64, "0") + "01".padStart(64, "0") + "1b";
    const noKey = await post(`${f.service.url}/relay`, { ...body, encodedABI: entityManagerInterface.encodeFunctionData("manageEntity", args) });
    expect(noKey.status).to.equal(401);
    expect(noKey.data.error.message).to.match(/does not recover/);
    expect(await nonces(f.fx, f.relayerAddresses)).to.deep.equal(before);
  });

  it("refuses, by an in-process dry run, a signature only the contract rejects, sending nothing", async () => {
    const args = [...entityManagerInterface.decodeFunctionData("manageEntity", (await follow(5)).encodedABI)];
    const sig = args[6] as string;
    args[6] = sig.slice(0, 130) + (parseInt(sig.slice(130), 16) - 27).toString(16).padStart(2, "0");
    const body = { ...(await follow(5)), encodedABI: entityManagerInterface.encodeFunctionData("manageEntity", args) };
    const before = await nonces(f.fx, f.relayerAddresses);
    const res = await post(`${f.service.url}/relay`, body);
    expect(res.status, JSON.stringify(res.data)).to.equal(422);
    expect(res.data.error.code).to.equal("CHAIN_REVERTED");
    expect(await nonces(f.fx, f.relayerAddresses)).to.deep.equal(before);
  });

  it("refuses a replay of an action already on chain as CONFLICT, from the revert's custom error", async () => {
    const body = await follow(6);
    const from = await f.fx.provider.getBlockNumber();
    expect((await post(`${f.service.url}/relay`, body)).status).to.equal(200);
    const again = await post(`${f.service.url}/relay`, body);
    expect(again.status).to.equal(409);
    expect(again.data.error.message).to.match(/already on chain/);
    expect(await manageEntityEvents(f.fx, from + 1)).to.have.length(1);
  });

  it("relays with the chain's HTTP server gone: the relay's calls never went over HTTP", async () => {
    const block = Number(await chain.chain.provider.request({ method: "eth_blockNumber", params: [] }));
    await chain.chain.close();
    const res = await post(`${f.service.url}/relay`, await follow(7));
    expect(res.status, JSON.stringify(res.data)).to.equal(200);
    expect(res.data.receipt.blockNumber).to.equal(block + 1);
    const receipt = (await chain.chain.provider.request({ method: "eth_getTransactionReceipt", params: [res.data.receipt.transactionHash] })) as { status: string; to: string };
    expect(Number(receipt.status)).to.equal(1);
    expect(receipt.to.toLowerCase()).to.equal(chain.entityManagerAddress.toLowerCase());
  });
});
