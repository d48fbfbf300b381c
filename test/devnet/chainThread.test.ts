import net from "node:net";
import { expect } from "chai";
import { JsonRpcProvider, Wallet } from "ethers";
import { startChainInWorker } from "../../devnet/chainThread";
import { devnetPrivateKey, DEVNET_ROLES } from "../../devnet/accounts";
import { deployEntityManager } from "../../devnet/deployData";
import { rpcInProcess } from "../../devnet/services/identity-service/chainRpc";
import { isAsixError } from "../../sdk/errors";
import type { Chain } from "../../devnet/chain";

/**
 * The devnet's chains run in a worker thread (devnet/chainThread.ts). Whoever reaches them in
 * process (deployment, snapshots, the identity service's relay, the discovery node's block
 * announcements) must see the same chain as over HTTP, with errors that still say what they are.
 */
describe("devnet chains in their own thread", function () {
  this.timeout(60_000);
  let chain: Chain;
  before(async () => {
    chain = await startChainInWorker({ chainId: 1056801, mining: "batched" });
  });
  after(() => chain?.close());

  it("answers in process and over HTTP from the same chain, and announces blocks mined by either", async () => {
    let announced = 0;
    const unsubscribe = chain.onNewBlock(() => announced++);
    const before = Number(await chain.provider.request({ method: "eth_blockNumber", params: [] }));
    const http = new JsonRpcProvider(chain.url, 1056801, { staticNetwork: true });
    await http.send("evm_mine", []);
    await chain.provider.request({ method: "evm_mine", params: [] });
    expect(Number(await chain.provider.request({ method: "eth_blockNumber", params: [] }))).to.equal(before + 2);
    expect(await http.getBlockNumber()).to.equal(before + 2);
    while (announced < 2) await new Promise((r) => chain.onNewBlock(() => r(undefined)));
    unsubscribe();
    http.destroy();
  });

  it("hands a contract's revert data to the relay as CALL_EXCEPTION, and keeps JSON-RPC error codes", async () => {
    const http = new JsonRpcProvider(chain.url, 1056801, { staticNetwork: true });
    const deployer = new Wallet(devnetPrivateKey(DEVNET_ROLES.deployer), http);
    const { address } = await deployEntityManager(deployer, deployer.address);
    http.destroy();
    // manageEntity with a signature of garbage reverts with a custom error, whose data the relay decodes
    const calldata = "0x" + "00".repeat(4);
    const rpc = rpcInProcess(chain.provider);
    const revert = await rpc.send("eth_call", [{ to: address, data: calldata }, "latest"]).then(
      () => expect.fail("the call did not revert"),
      (e: { code?: unknown; data?: unknown }) => e,
    );
    expect(revert.code).to.equal("CALL_EXCEPTION");
    expect(revert.data).to.be.a("string");
    const bad = await chain.provider.request({ method: "eth_getBlockByNumber", params: ["0xffffff", false, "extra"] }).then(
      () => expect.fail("a bad request was answered"),
      (e: { code?: unknown; message?: string }) => e,
    );
    expect(bad.code).to.be.a("number");
    expect(bad.message).to.be.a("string").and.not.equal("");
  });

  it("goes back to a mark, as devnet snapshots do", async () => {
    const mark = await chain.history.mark();
    await chain.provider.request({ method: "evm_mine", params: [] });
    const back = await chain.history.rewind(mark, undefined);
    expect(back.blockNumber).to.equal(mark.blockNumber);
    expect(Number(await chain.provider.request({ method: "eth_blockNumber", params: [] }))).to.equal(mark.blockNumber);
    expect(await chain.history.genesis()).to.match(/^0x[0-9a-f]{64}$/);
  });

  it("refuses a busy port with CONFLICT, and a second chain shares the thread and outlives the first's close", async () => {
    const busy = net.createServer().listen(0, "127.0.0.1");
    await new Promise((r) => busy.once("listening", r));
    const port = (busy.address() as net.AddressInfo).port;
    const refused = await startChainInWorker({ chainId: 31337, port }).then(
      () => expect.fail("started on a busy port"),
      (e: unknown) => e,
    );
    busy.close();
    expect(isAsixError(refused, "CONFLICT"), String(refused)).to.equal(true);

    const second = await startChainInWorker({ chainId: 31337 });
    await second.close();
    await second.close(); // twice is harmless
    await second.provider.request({ method: "eth_blockNumber", params: [] }).then(
      () => expect.fail("a closed chain answered"),
      (e: Error) => expect(e.message).to.include("closed"),
    );
    expect(Number(await chain.provider.request({ method: "eth_chainId", params: [] }))).to.equal(1056801);
  });
});
