import { expect } from "chai";
import { JsonRpcProvider, Wallet } from "ethers";
import { startChain, type Chain } from "../../devnet/chain";
import { devnetPrivateKey } from "../../devnet/accounts";

/** Raw JSON-RPC over HTTP, as any client sees the devnet chain. */
async function rpc(chain: Chain, method: string, params: unknown[] = []): Promise<{ result?: any; error?: any }> {
  const res = await fetch(chain.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  expect(res.headers.get("content-type")).to.match(/application\/json/);
  return (await res.json()) as { result?: any; error?: any };
}

const blockNumber = async (chain: Chain) => Number((await rpc(chain, "eth_blockNumber")).result);

describe("devnet chain", function () {
  this.timeout(60_000);
  let chain: Chain;
  let provider: JsonRpcProvider;
  const wallets: Wallet[] = [];

  before(async () => {
    chain = await startChain({ chainId: 1056801, mining: "batched" });
    provider = new JsonRpcProvider(chain.url, 1056801, { staticNetwork: true, batchMaxCount: 1 });
    for (let i = 0; i < 12; i++) wallets.push(new Wallet(devnetPrivateKey(i), provider));
  });
  after(async () => {
    provider.destroy();
    await chain.close();
  });

  describe("batched mining", () => {
    it("mines a lone transaction at once: its receipt exists when the send returns", async () => {
      const before = await blockNumber(chain);
      const hash = await provider.send("eth_sendTransaction", [{ from: wallets[0].address, to: wallets[1].address, value: "0x1" }]);
      const receipt = (await rpc(chain, "eth_getTransactionReceipt", [hash])).result;
      expect(receipt, "receipt right after the send").to.not.equal(null);
      expect(Number(receipt.blockNumber)).to.equal(before + 1);
      expect(Number(receipt.status)).to.equal(1);
    });

    it("puts concurrent transactions into shared blocks, each send returning once its block is mined", async () => {
      const before = await blockNumber(chain);
      const senders = wallets.slice(2, 12);
      const rounds = 3;
      const hashes = await Promise.all(
        senders.flatMap((w) =>
          Array.from({ length: rounds }, async () => {
            const hash = await provider.send("eth_sendTransaction", [{ from: w.address, to: wallets[0].address, value: "0x1" }]);
            const receipt = (await rpc(chain, "eth_getTransactionReceipt", [hash])).result;
            expect(receipt, `receipt of ${hash} when its send returned`).to.not.equal(null);
            return hash as string;
          }),
        ),
      );
      expect(new Set(hashes).size).to.equal(senders.length * rounds);
      const blocks = (await blockNumber(chain)) - before;
      expect(blocks, "blocks mined for 30 concurrent transactions").to.be.greaterThan(0).and.lessThan(senders.length * rounds);
      let included = 0;
      for (let n = before + 1; n <= before + blocks; n++) included += (await rpc(chain, "eth_getBlockByNumber", ["0x" + n.toString(16), false])).result.transactions.length;
      expect(included).to.equal(senders.length * rounds);
    });

    it("leaves mining to the caller while automine is off, as Hardhat does", async () => {
      expect((await rpc(chain, "evm_setAutomine", [false])).result).to.equal(true);
      try {
        expect((await rpc(chain, "hardhat_getAutomine")).result).to.equal(false);
        const before = await blockNumber(chain);
        const hash = await provider.send("eth_sendTransaction", [{ from: wallets[1].address, to: wallets[0].address, value: "0x1" }]);
        expect((await rpc(chain, "eth_getTransactionReceipt", [hash])).result).to.equal(null);
        expect(await blockNumber(chain)).to.equal(before);
        await rpc(chain, "evm_mine");
        expect(Number((await rpc(chain, "eth_getTransactionReceipt", [hash])).result.blockNumber)).to.equal(before + 1);
      } finally {
        await rpc(chain, "evm_setAutomine", [true]);
      }
      expect((await rpc(chain, "hardhat_getAutomine")).result).to.equal(true);
    });

    it("announces each mined block to in-process listeners until they unsubscribe", async () => {
      let announced = 0;
      const unsubscribe = chain.onNewBlock(() => announced++);
      const before = await blockNumber(chain);
      await provider.send("eth_sendTransaction", [{ from: wallets[0].address, to: wallets[1].address, value: "0x1" }]);
      await rpc(chain, "evm_mine");
      await new Promise((r) => setImmediate(r));
      expect(await blockNumber(chain)).to.equal(before + 2);
      expect(announced, "one announcement per block-making request").to.equal(2);
      unsubscribe();
      await rpc(chain, "evm_mine");
      await new Promise((r) => setImmediate(r));
      expect(announced, "nothing after unsubscribing").to.equal(2);
      // reads make no blocks and announce nothing
      chain.onNewBlock(() => announced++)();
      await rpc(chain, "eth_blockNumber");
    });

    it("mines a reverting transaction with status 0, as a real chain does", async () => {
      // init code that reverts at once: PUSH1 0 PUSH1 0 REVERT
      const hash = await provider.send("eth_sendTransaction", [{ from: wallets[0].address, data: "0x60006000fd", gas: "0x100000" }]);
      const receipt = (await rpc(chain, "eth_getTransactionReceipt", [hash])).result;
      expect(Number(receipt.status)).to.equal(0);
    });
  });

  describe("JSON-RPC answers", () => {
    // The devnet answers with one JSON.stringify instead of Hardhat's streaming serializer; every
    // answer must stay what Hardhat's own server gives for the same request on the same chain.
    let hardhatUrl: string;
    let hardhatServer: { close(): Promise<void> };
    before(async () => {
      const { JsonRpcServer } = require("hardhat/internal/hardhat-network/jsonrpc/server");
      const server = new JsonRpcServer({ hostname: "127.0.0.1", port: 0, provider: chain.provider });
      hardhatUrl = `http://127.0.0.1:${(await server.listen()).port}`;
      hardhatServer = server;
    });
    after(() => hardhatServer.close());

    const post = async (url: string, body: string) => {
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
      return { status: res.status, json: (await res.json()) as { error?: { data?: { data?: string } } } };
    };
    const requests: Record<string, string> = {
      "a batch": JSON.stringify([
        { jsonrpc: "2.0", id: 7, method: "eth_chainId", params: [] },
        { jsonrpc: "2.0", id: 8, method: "eth_getBalance", params: ["0x0000000000000000000000000000000000000001", "latest"] },
      ]),
      "a parse error": "{not json",
      "an unknown method": JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_noSuchMethod", params: [] }),
      "an invalid request": JSON.stringify({ id: 1 }),
      "bad params": JSON.stringify({ jsonrpc: "2.0", id: 2, method: "eth_getBalance", params: ["nope"] }),
      // code that reverts with 4 bytes of data: PUSH4 0xdeadbeef PUSH1 0 MSTORE PUSH1 4 PUSH1 28 REVERT
      "a revert with data": JSON.stringify({ jsonrpc: "2.0", id: 3, method: "eth_call", params: [{ data: "0x63deadbeef6000526004601cfd" }, "latest"] }),
    };
    for (const [what, body] of Object.entries(requests)) {
      it(`answers ${what} exactly as Hardhat's server does`, async () => {
        const [ours, theirs] = await Promise.all([post(chain.url, body), post(hardhatUrl, body)]);
        expect(ours).to.deep.equal(theirs);
      });
    }

    it("keeps revert data where ethers finds it", async () => {
      const { json } = await post(chain.url, requests["a revert with data"]);
      expect(json.error?.data?.data).to.equal("0xdeadbeef");
    });
  });
});
