import { expect } from "chai";
import { Wallet } from "ethers";
import { signStreamAccess } from "../../../sdk/signatures";
import { makeAudio } from "../../helpers/audio";
import fs from "node:fs";
import { postUpload, startNodes, type NodeFixture, json } from "./fixture";

describe("content node: /tracks/cidstream signatures", function () {
  let fx: NodeFixture;
  let url: string;
  let bytes: Buffer;
  let cid: string;
  let otherCid: string;

  before(async () => {
    fx = await startNodes(1, { replicationFactor: 1 });
    url = fx.nodes[0].url;
    bytes = fs.readFileSync(await makeAudio({ seconds: 3, format: "mp3" }));
    cid = (await postUpload(url, fx.user, "audio", bytes, "a.mp3")).body[0].orig_file_cid;
    otherCid = (await postUpload(url, fx.user, "audio", fs.readFileSync(await makeAudio({ seconds: 2, format: "mp3", frequency: 300 })), "b.mp3")).body[0].orig_file_cid;
  });
  after(() => fx.close());

  const stream = (c: string, signature: string, headers: Record<string, string> = {}) =>
    fetch(`${url}/tracks/cidstream/${c}?signature=${encodeURIComponent(signature)}`, { headers });

  it("streams with a fresh signature from a registered discovery node, Range included", async () => {
    const signature = await signStreamAccess(fx.discovery, { cid, timestamp: Date.now() });
    const whole = await stream(cid, signature);
    expect(whole.status).to.equal(200);
    expect(whole.headers.get("content-type")).to.equal("audio/mpeg");
    expect(Buffer.from(await whole.arrayBuffer()).equals(bytes)).to.equal(true);
    const part = await stream(cid, signature, { range: "bytes=10-19" });
    expect(part.status).to.equal(206);
    expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(10, 20))).to.equal(true);
  });

  const refusals: [string, () => Promise<string>][] = [
    ["a signature for another CID", () => signStreamAccess(fx.discovery, { cid: otherCid, timestamp: Date.now() })],
    ["an expired signature (49 h old)", () => signStreamAccess(fx.discovery, { cid, timestamp: Date.now() - 49 * 3600 * 1000 })],
    ["a signature past its expiresAt (issued 2 h ago, valid 1 h)", () => signStreamAccess(fx.discovery, { cid, timestamp: Date.now() - 2 * 3600 * 1000 })],
    ["a signature from an unregistered wallet", () => signStreamAccess(Wallet.createRandom(), { cid, timestamp: Date.now() })],
    ["a missing signature", async () => ""],
    ["a garbled signature", async () => "{not json"],
  ];
  for (const [what, make] of refusals) {
    it(`refuses ${what} with 401 JSON`, async () => {
      const res = await stream(cid, await make());
      expect(res.status).to.equal(401);
      expect((await json(res)).error.code).to.equal("UNAUTHORIZED");
    });
  }

  it("refuses a malformed CID with 400", async () => {
    const res = await stream("..%2F..%2Fetc", await signStreamAccess(fx.discovery, { cid: "../../etc", timestamp: Date.now() }));
    expect(res.status).to.equal(400);
  });
});
