import { expect } from "chai";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { Wallet } from "ethers";
import { startIndexer, type Indexer } from "../../../devnet/services/discovery-node";
import { startDataChain, type DataChainFixture } from "../../helpers/dataChain";
import { BACKEND, meta, openTestDb } from "./fixture";

/**
 * The devnet's chains run in the same process as the discovery node and announce each block, so
 * an idle indexer asks the chain nothing until a block comes, then indexes it at once.
 */
describe(`discovery node (${BACKEND}): indexing on new-block notifications`, function () {
  this.timeout(60_000);
  let fx: DataChainFixture;
  let proxy: http.Server;
  let proxyUrl: string;
  let requests = 0;
  let indexer: Indexer | undefined;
  let dir: string;

  before(async () => {
    fx = await startDataChain();
    // Every JSON-RPC request the indexer makes passes here and is counted.
    proxy = http.createServer((req, res) => {
      requests++;
      const upstream = http.request(fx.chain.url, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(res);
      });
      upstream.on("error", () => res.destroy());
      req.pipe(upstream);
    });
    await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-newblocks-"));
  });
  after(async () => {
    await indexer?.stop();
    await new Promise((r) => proxy.close(r));
    await fx.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("asks the chain nothing while it is idle, indexes an announced block at once, and stops promptly", async () => {
    const db = await openTestDb(dir);
    indexer = await startIndexer({
      db,
      rpcUrl: proxyUrl,
      entityManagerAddress: fx.entityManagerAddress,
      startBlock: fx.deployBlock,
      pollIntervalMs: 20, // what it would poll at without notifications
      newBlocks: fx.chain.onNewBlock,
    });
    await indexer.caughtUp();

    const before = requests;
    const quietMs = 1000;
    await new Promise((r) => setTimeout(r, quietMs));
    expect(requests - before, `chain requests in ${quietMs} ms of an idle chain`).to.be.at.most(1);

    const owner = Wallet.createRandom() as unknown as Wallet;
    const sent = performance.now();
    const receipt = await fx.manageEntity(owner, { userId: 7_000_001, entityType: "User", entityId: 7_000_001, action: "Create", metadata: meta({ handle: "woken", wallet: owner.address }) });
    const deadline = sent + 1000; // far below the 30 s fallback poll: only the announcement can make it
    while (indexer.latestIndexedBlock < receipt.blockNumber && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(indexer.latestIndexedBlock, "indexed within 1 s of the send").to.be.at.least(receipt.blockNumber);

    const stopping = performance.now();
    await indexer.stop();
    indexer = undefined;
    expect(performance.now() - stopping, "stop does not wait out the fallback poll").to.be.below(1000);
    await db.close();
  });

  it("without notifications, polls a quiet chain less and less often, and at its interval again once blocks come", async () => {
    const pollIntervalMs = 20;
    const quietDir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-backoff-"));
    const db = await openTestDb(quietDir);
    indexer = await startIndexer({ db, rpcUrl: proxyUrl, entityManagerAddress: fx.entityManagerAddress, startBlock: fx.deployBlock, pollIntervalMs });
    try {
      await indexer.caughtUp();
      // past the backoff's climb, so the window below sees only its slowest pace
      await new Promise((r) => setTimeout(r, 2 * pollIntervalMs * 8));
      const before = requests;
      const quietMs = 1600;
      await new Promise((r) => setTimeout(r, quietMs));
      // at its interval it would ask 80 times (one eth_blockNumber per look); backed off to 8
      // intervals, about 10
      expect(requests - before, `chain requests in ${quietMs} ms of a quiet chain`).to.be.at.most(16);

      const owner = Wallet.createRandom() as unknown as Wallet;
      const receipt = await fx.manageEntity(owner, { userId: 7_000_002, entityType: "User", entityId: 7_000_002, action: "Create", metadata: meta({ handle: "polled", wallet: owner.address }) });
      const sent = performance.now();
      while (indexer.latestIndexedBlock < receipt.blockNumber) await new Promise((r) => setTimeout(r, 5));
      // found within the slowest pace (8 intervals = 160 ms), with room for a loaded machine
      expect(performance.now() - sent, "a new block found within the backed-off interval").to.be.below(2000);
    } finally {
      await indexer.stop();
      indexer = undefined;
      await db.close();
      fs.rmSync(quietDir, { recursive: true, force: true });
    }
  });
});
