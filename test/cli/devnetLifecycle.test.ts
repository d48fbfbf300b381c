import { expect } from "chai";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { controlRequest, isAlive, type DevnetState, type DevnetStatus } from "../../devnet";
import { createAsix, type Asix } from "../../sdk";
import { cidOfStream } from "../../sdk/cid";
import type { SelectionEvent } from "../../sdk/selection";
import { ASIX_BIN, asix } from "../helpers/cli";
import { makeAudio } from "../helpers/audio";
import { freePortBase } from "../helpers/ports";

/** Whether any process of this process group is left. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function answers(url: string): Promise<boolean> {
  return fetch(`${url}/health_check`).then(
    (r) => r.ok,
    () => false,
  );
}

/** Every URL a client configures: both RPCs, every service, the control API. */
const urlsOf = (s: DevnetState) => ({ eth: s.ethChain.url, data: s.dataChain.url, services: s.services, control: s.control });

/**
 * The devnet as a background tool, driven only through the `asix` CLI: one detached devnet (two
 * content nodes) for the whole file, stopped, killed and brought back up by the tests in order.
 */
describe("asix devnet up --detach / status / logs / node / down / reset", function () {
  this.timeout(240_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-lifecycle-"));
  let base: number;
  let state: DevnetState;
  const up = async () => {
    const res = await asix(["devnet", "up", "--detach", "--json", "--content-nodes", "2", "--port-base", String(base), "--devnet", dir]);
    expect(res.code, res.stderr + res.stdout).to.equal(0);
    return res.json as DevnetState;
  };

  before(async () => {
    base = await freePortBase();
    state = await up();
  });
  after(async () => {
    await asix(["devnet", "down", "--devnet", dir]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("up --detach returns once every service is healthy, on the port base's fixed ports", async () => {
    expect(isAlive(state.pid)).to.equal(true);
    expect(state.pid).to.not.equal(process.pid);
    expect(state.ethChain.url).to.equal(`http://127.0.0.1:${base}`);
    expect(state.dataChain.url).to.equal(`http://127.0.0.1:${base + 1}`);
    expect(state.services.identity).to.equal(`http://127.0.0.1:${base + 2}`);
    expect(state.control).to.equal(`http://127.0.0.1:${base + 4}`);
    expect(state.services.discovery).to.deep.equal([`http://127.0.0.1:${base + 10}`]);
    expect(state.services.contentNodes).to.deep.equal([`http://127.0.0.1:${base + 20}`, `http://127.0.0.1:${base + 21}`]);
    // No wait here: up returned only once all of them were healthy.
    for (const url of [state.services.identity, ...state.services.discovery, ...state.services.contentNodes]) expect(await answers(url), url).to.equal(true);
  });

  it("status --json shows each node's health, both chains' heights, index lag, blobs and stake", async () => {
    const res = await asix(["devnet", "status", "--json", "--devnet", dir]);
    expect(res.code, res.stderr).to.equal(0);
    const status = res.json as DevnetStatus;
    expect(status.pid).to.equal(state.pid);
    expect(status.chains.eth.blockNumber).to.be.a("number").and.greaterThan(0);
    expect(status.chains.data.blockNumber).to.be.a("number").and.greaterThan(0);
    expect(status.identity).to.deep.equal({ url: state.services.identity, healthy: true });
    expect(status.nodes.map((n) => [n.name, n.url, n.running, n.healthy, n.fault, n.stake])).to.deep.equal([
      ["content-1", state.services.contentNodes[0], true, true, null, (200_000n * 10n ** 18n).toString()],
      ["content-2", state.services.contentNodes[1], true, true, null, (200_000n * 10n ** 18n).toString()],
      ["discovery-1", state.services.discovery[0], true, true, null, (200_000n * 10n ** 18n).toString()],
    ]);
    expect(status.nodes[0].blobs).to.equal(0);
    expect(status.nodes[2].indexLag).to.be.a("number").and.at.most(1);
  });

  it("node stop and node start of a content node: a stream fails over while it is stopped", async () => {
    const events: SelectionEvent[] = [];
    const artist: Asix = createAsix({ network: state, wallet: state.accounts[15].privateKey, onEvent: (e) => events.push(e) });
    await artist.users.create({ handle: "lifecycle" });
    const { trackId } = await artist.tracks.upload(await makeAudio({ seconds: 40, format: "mp3" }), { title: "Long tone" });
    const cid = (await artist.tracks.get(trackId)).trackCid;
    // Both nodes send at 64 kB/s until the first chunk is in, so the track cannot have arrived whole
    // (in socket buffers) by the time its node stops.
    for (const name of ["content-1", "content-2"]) await controlRequest(state, "POST", `/nodes/${name}/slow`, { bytesPerSecond: 64 * 1024 });
    events.length = 0;
    const { stream, url } = await artist.tracks.stream(trackId);
    const serving = state.services.contentNodes.findIndex((u) => u === new URL(url).origin);
    expect(serving).to.be.at.least(0);
    const [servingName, otherName] = serving === 0 ? ["content-1", "content-2"] : ["content-2", "content-1"];
    const reader = stream.getReader();
    const chunks: Uint8Array[] = [];
    const first = await reader.read();
    chunks.push(first.value!);
    await controlRequest(state, "POST", `/nodes/${otherName}/resume`);
    const stopped = await asix(["devnet", "node", "stop", servingName, "--json", "--devnet", dir]);
    expect(stopped.code, stopped.stderr).to.equal(0);
    expect(stopped.json).to.deep.include({ node: servingName, running: false });
    expect(await answers(state.services.contentNodes[serving])).to.equal(false);
    for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(next.value);
    expect(await cidOfStream(chunks)).to.equal(cid);
    expect(events.filter((e) => e.type === "failover" && e.service === "content").map((e) => e.node)).to.deep.equal([state.services.contentNodes[serving]]);

    const status = (await asix(["devnet", "status", "--json", "--devnet", dir])).json as DevnetStatus;
    expect(status.nodes.find((n) => n.name === servingName)).to.deep.include({ running: false, healthy: false });
    const started = await asix(["devnet", "node", "start", servingName, "--json", "--devnet", dir]);
    expect(started.code, started.stderr).to.equal(0);
    expect(started.json).to.deep.include({ node: servingName, running: true, url: state.services.contentNodes[serving] });
    expect(await answers(state.services.contentNodes[serving])).to.equal(true);
    // Back with its data and no fault: it serves the track itself.
    const res = await fetch(`${state.services.contentNodes[serving]}/content/${cid}`, { redirect: "manual" });
    expect(res.status).to.equal(200);
    expect(await cidOfStream([new Uint8Array(await res.arrayBuffer())])).to.equal(cid);
  });

  it("node refuses an unknown node or action with the control API's error", async () => {
    const res = await asix(["devnet", "node", "pause", "content-9", "--json", "--devnet", dir]);
    expect(res.code).to.equal(1);
    expect(res.json.error.code).to.equal("NOT_FOUND");
    expect(res.json.error.message).to.contain("content-1, content-2, discovery-1");
  });

  it("logs prints a service's log; logs -f follows it as it writes", async () => {
    const res = await asix(["devnet", "logs", "content-1", "--json", "--devnet", dir]);
    expect(res.code, res.stderr).to.equal(0);
    expect(res.json.lines[0]).to.deep.include({ service: "content-node-1", msg: "content node listening", url: state.services.contentNodes[0] });
    const all = await asix(["devnet", "logs", "--lines", "1", "--devnet", dir]);
    expect(all.stdout).to.match(/^identity-service \| /m).and.to.match(/^supervisor \| /m);

    const follower = spawn(process.execPath, [ASIX_BIN, "devnet", "logs", "content-2", "-f", "--devnet", dir], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NODE_OPTIONS: "" } });
    let out = "";
    const seen = (n: number) => new Promise<void>((resolve) => {
      const check = () => (out.split("content node listening").length - 1 >= n ? resolve() : undefined);
      follower.stdout.on("data", (c) => {
        out += c;
        check();
      });
      check();
    });
    const before = (await asix(["devnet", "logs", "content-2", "--devnet", dir])).stdout.split("content node listening").length - 1;
    await seen(before);
    await controlRequest(state, "POST", "/nodes/content-2/stop");
    await controlRequest(state, "POST", "/nodes/content-2/start");
    await seen(before + 1);
    const exited = new Promise<number | null>((resolve) => follower.on("exit", resolve));
    follower.kill("SIGINT");
    expect(await exited).to.equal(0);
  });

  it("down stops everything and leaves no process; up again serves the same RPC and service URLs", async () => {
    const res = await asix(["devnet", "down", "--json", "--devnet", dir]);
    expect(res.code, res.stderr).to.equal(0);
    expect(res.json).to.deep.equal({ stopped: true, pid: state.pid });
    expect(isAlive(state.pid)).to.equal(false);
    expect(groupAlive(state.pid), "a process of the supervisor's group is left").to.equal(false);
    for (const url of [state.ethChain.url, state.services.identity, ...state.services.contentNodes, state.control!]) expect(await answers(url), url).to.equal(false);
    expect(fs.existsSync(path.join(dir, "devnet.json"))).to.equal(false);

    const again = await up();
    expect(again.pid).to.not.equal(state.pid);
    expect(urlsOf(again)).to.deep.equal(urlsOf(state));
    expect(again.ethChain.contracts).to.deep.equal(state.ethChain.contracts);
    state = again;
  });

  it("a SIGKILLed supervisor is cleaned up by the next up, which serves the same URLs", async () => {
    process.kill(state.pid, "SIGKILL");
    await new Promise<void>((resolve) => {
      const check = () => (isAlive(state.pid) ? setImmediate(check) : resolve());
      check();
    });
    const status = await asix(["devnet", "status", "--json", "--devnet", dir]);
    expect(status.json.error.code).to.equal("NODE_UNAVAILABLE");
    const again = await up();
    expect(again.pid).to.not.equal(state.pid);
    expect(groupAlive(state.pid), "the killed supervisor's group is gone").to.equal(false);
    expect(urlsOf(again)).to.deep.equal(urlsOf(state));
    expect(await answers(again.services.contentNodes[0])).to.equal(true);
    state = again;
  });

  it("reset refuses a running devnet, and wipes a stopped one's state", async () => {
    const refused = await asix(["devnet", "reset", "--json", "--devnet", dir]);
    expect(refused.code).to.equal(1);
    expect(refused.json.error.code).to.equal("CONFLICT");
    expect(fs.existsSync(path.join(dir, "network.json"))).to.equal(true);
    expect((await asix(["devnet", "down", "--devnet", dir])).code).to.equal(0);
    const res = await asix(["devnet", "reset", "--json", "--devnet", dir]);
    expect(res.code, res.stderr).to.equal(0);
    expect(res.json).to.deep.equal({ wiped: dir });
    expect(fs.existsSync(dir)).to.equal(false);
  });
});
