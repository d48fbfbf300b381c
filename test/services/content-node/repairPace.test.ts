import { expect } from "chai";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { makeAudio } from "../../helpers/audio";
import {
  filesOnDisk,
  postUpload,
  sleep,
  startNodes,
  waitFor,
  waitForUpload,
  type NodeFixture,
} from "./fixture";

/**
 * The repair loop slows down on a quiet network (an idle devnet must not burn CPU on peer checks)
 * and still repairs: a round that finds work brings it back to its base pace.
 */
describe("content node: repair pace on a quiet network", function () {
  this.timeout(120_000);
  let fx: NodeFixture;
  let proxy: http.Server;
  let healthChecks = 0;

  before(async () => {
    fx = await startNodes(2, {
      replicationFactor: 2,
      repairIntervalMs: 100,
      repairIdleIntervalMs: 1600,
    });
    // Node 1 is listed to node 0 through a proxy that counts the health checks it receives.
    const target = new URL(fx.nodes[1].url);
    proxy = http.createServer((req, res) => {
      if (req.url === "/health_check") healthChecks++;
      const upstream = http.request(
        {
          host: target.hostname,
          port: target.port,
          path: req.url,
          method: req.method,
          headers: req.headers,
        },
        (answer) => {
          res.writeHead(answer.statusCode!, answer.headers);
          answer.pipe(res);
        }
      );
      upstream.on("error", () => res.destroy());
      req.pipe(upstream);
    });
    await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
    fx.configs[0].peers = () => [
      fx.nodes[0].url,
      `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    ];
    await fx.stopNode(0);
    await fx.restartNode(0);
  });
  after(async () => {
    await fx.close();
    await new Promise((r) => proxy.close(r));
  });

  it("checks its peers far less often than repairIntervalMs once rounds find nothing to do", async () => {
    await waitFor(() => healthChecks >= 3, 10_000, "the first repair rounds");
    await sleep(3000); // long enough for the wait to double up to the idle interval
    const before = healthChecks;
    await sleep(3200);
    // at the 100 ms base pace this would be about 32; at the 1.6 s idle pace, 2
    expect(
      healthChecks - before,
      "health checks in 3.2 s of quiet"
    ).to.be.at.most(4);
  });

  it("still puts back a replica's missing copy after slowing down", async () => {
    // two plain nodes (peer requests are signed for the receiver's own origin, so no proxy here)
    const pair = await startNodes(2, {
      replicationFactor: 2,
      repairIntervalMs: 100,
      repairIdleIntervalMs: 1600,
    });
    try {
      await missingCopyComesBack(pair);
    } finally {
      await pair.close();
    }
  });
});

async function missingCopyComesBack(fx: NodeFixture): Promise<void> {
  const mp3 = fs.readFileSync(await makeAudio({ seconds: 3, format: "mp3" }));
  const answer = await postUpload(
    fx.nodes[0].url,
    fx.user,
    "audio",
    mp3,
    "a.mp3"
  );
  const upload = await waitForUpload(fx.nodes[0].url, answer.body[0].id);
  const cid = upload.orig_file_cid as string;
  const onNode1 = () =>
    filesOnDisk(fx.dirs[1]).includes(path.join("blobs", cid.slice(-2), cid));
  await waitFor(onNode1, 20_000, "the upload replicated to node 1");
  await sleep(4000); // quiet again: node 0 is back at its idle pace
  // node 1 loses its copy without its row; only node 0's repair round can bring it back
  const file = path.join(fx.dirs[1], "blobs", cid.slice(-2), cid);
  fs.rmSync(file);
  await fetch(`${fx.nodes[1].url}/content/${cid}?noredirect`, {
    method: "HEAD",
  }); // node 1 notices and forgets it
  await waitFor(onNode1, 20_000, "node 0's repair to push the copy back");
  expect(onNode1()).to.equal(true);
}
