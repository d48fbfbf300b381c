import { expect } from "chai";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { startDevnet } from "../../devnet";
import { asix } from "../helpers/cli";
import { canListen, freePortBase } from "../helpers/ports";

/**
 * A port that was free a moment ago, from a base no other test process is handed and outside the
 * ephemeral range (where another process's outgoing connection could take it before the check
 * that it is free again).
 */
const spare: number[] = [];
async function freePort(): Promise<number> {
  if (spare.length === 0) {
    const base = await freePortBase();
    spare.push(...Array.from({ length: 30 }, (_, i) => base + i));
  }
  return spare.shift()!;
}

async function holdPort(): Promise<{ port: number; release(): Promise<void> }> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as net.AddressInfo).port, release: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe("devnet startup failures", function () {
  this.timeout(120_000);
  const dirs: string[] = [];
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), "asix-startup-"));
    dirs.push(d);
    return d;
  };
  after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it("a start on a taken port fails with CONFLICT naming it, and frees every port it had taken", async () => {
    const held = await holdPort();
    try {
      const ports = { ethChain: await freePort(), dataChain: await freePort(), identity: await freePort(), oauthProvider: await freePort() };
      const err = await startDevnet({ dir: tmp(), contentNodes: 1, logs: false, persist: true, ports: { ...ports, discovery: held.port } }).catch((e) => e);
      expect(err.code).to.equal("CONFLICT");
      expect(err.message).to.equal(`port ${held.port} is in use: cannot start the discovery node there`);
      for (const [name, port] of Object.entries(ports)) expect(await canListen(port), `the ${name} port ${port} is free again`).to.equal(true);
    } finally {
      await held.release();
    }
  });

  it("asix devnet up on a taken port prints one line and exits non-zero, holding nothing", async () => {
    const held = await holdPort();
    try {
      const ethPort = await freePort();
      // a base of its own: the CLI's default (4700) would be shared with other test files running in parallel
      const base = String(await freePortBase());
      const result = await asix(["devnet", "up", "--devnet", tmp(), "--port-base", base, "--content-nodes", "1", "--eth-port", String(ethPort), "--discovery-port", String(held.port)]);
      expect(result.code).to.equal(1);
      expect(result.stderr.trim().split("\n")).to.deep.equal([`asix: devnet failed to start: port ${held.port} is in use: cannot start the discovery node there`]);
      expect(await canListen(ethPort)).to.equal(true);
    } finally {
      await held.release();
    }
  });

  it("refuses to start on a state dir whose devnet is running", async () => {
    const dir = tmp();
    // the parent of this test process stands in for a running devnet
    fs.writeFileSync(path.join(dir, "devnet.json"), JSON.stringify({ pid: process.ppid }));
    const err = await startDevnet({ dir, contentNodes: 1, logs: false, persist: true }).catch((e) => e);
    expect(err.code).to.equal("CONFLICT");
    expect(err.message).to.contain(`a devnet is already running in ${dir} (pid ${process.ppid})`);
  });

  it("refuses, and keeps, node data whose network.json is missing instead of deleting it", async () => {
    const dir = tmp();
    const blob = path.join(dir, "data", "content-node-1", "blobs", "ba", "bafkexample");
    fs.mkdirSync(path.dirname(blob), { recursive: true });
    fs.writeFileSync(blob, "a user's upload");
    const err = await startDevnet({ dir, contentNodes: 1, logs: false, persist: true }).catch((e) => e);
    expect(err.code).to.equal("CONFLICT");
    expect(err.message).to.match(/holds node data but .*network\.json is missing.*--reset/);
    expect(fs.readFileSync(blob, "utf8")).to.equal("a user's upload");
  });
});
