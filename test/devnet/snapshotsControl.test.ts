import { expect } from "chai";
import express from "express";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startDevnet, type Devnet } from "../../devnet";
import { snapshotRoutes, timeRoutes } from "../../devnet/control/snapshotRoutes";
import { listen, notFoundRoute, type RunningServer } from "../../devnet/services/http";
import { createAsix } from "../../sdk";
import { asix } from "../helpers/cli";

/**
 * The control channel's snapshot and clock routes, mounted on an express app as the supervisor's
 * control server mounts them, and the CLI commands that call them through devnet.json's `control`.
 */
describe("devnet snapshots and clock over the control channel", function () {
  this.timeout(180_000);
  let devnet: Devnet;
  let control: RunningServer;
  /** a state dir whose devnet.json names the control server, as `asix devnet up` writes it */
  let stateDir: string;
  const call = async (method: string, route: string, body?: unknown) => {
    const res = await fetch(`${control.url}${route}`, { method, headers: body === undefined ? {} : { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as any };
  };

  before(async () => {
    devnet = await startDevnet({ dir: fs.mkdtempSync(path.join(os.tmpdir(), "asix-snapctl-")), contentNodes: 1, persist: true, logs: false });
    const app = express();
    // An unexpected error's stack goes to the test's output.
    const log = (msg: string, fields?: Record<string, unknown>) => console.error(msg, fields);
    app.use(snapshotRoutes(devnet, log));
    app.use(timeRoutes(devnet, log));
    app.use(notFoundRoute);
    control = await listen(app, 0);
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-snapctl-state-"));
    const { contentNode: _c, discoveryNode: _d, stop: _s, snapshots: _n, time: _t, ...state } = devnet;
    fs.writeFileSync(path.join(stateDir, "devnet.json"), JSON.stringify({ ...state, dir: stateDir, control: control.url }));
  });

  after(async () => {
    await control?.close();
    await devnet?.stop();
  });

  it("saves, lists and restores over HTTP, refusing unknown and path-like names", async () => {
    const saved = await call("POST", "/snapshots/http-one/save");
    expect(saved.status).to.equal(200);
    expect(saved.body.data).to.include({ name: "http-one", persistent: true });
    const { userId } = await createAsix({ network: devnet, wallet: devnet.accounts[10].privateKey }).users.create({ handle: "over_http" });
    const restored = await call("POST", "/snapshots/http-one/restore");
    expect(restored.status).to.equal(200);
    expect((await createAsix({ network: devnet }).users.get(userId).catch((e) => e)).code).to.equal("NOT_FOUND");
    expect((await call("GET", "/snapshots")).body.data.map((s: { name: string }) => s.name)).to.deep.equal(["http-one"]);

    for (const body of [{ acrossNetworks: "yes" }, { acrossNetworks: 1 }]) {
      const res = await call("POST", "/snapshots/http-one/restore", body);
      expect(res.status, JSON.stringify(body)).to.equal(400);
      expect(res.body.error.code).to.equal("INVALID_INPUT");
    }
    expect(await call("POST", "/snapshots/nope/restore")).to.deep.include({ status: 404 });
    expect((await call("POST", "/snapshots/nope/restore")).body.error.code).to.equal("NOT_FOUND");
    // (a bare ".." never arrives: URLs resolve it away before sending)
    for (const name of ["..%2Fetc", "a%2Fb", ".hidden", "x".repeat(65)]) {
      const res = await call("POST", `/snapshots/${name}/save`);
      expect(res.status, name).to.equal(400);
      expect(res.body.error.code, name).to.equal("INVALID_INPUT");
    }
  });

  it("advances the clock over HTTP and refuses a body without whole seconds", async () => {
    const moved = await call("POST", "/time/advance", { seconds: 3600 });
    expect(moved.status).to.equal(200);
    expect(moved.body.data).to.include({ seconds: 3600 });
    for (const body of [{}, { seconds: "1h" }, { seconds: -1 }, { seconds: 0.5 }]) {
      const res = await call("POST", "/time/advance", body);
      expect(res.status, JSON.stringify(body)).to.equal(400);
      expect(res.body.error.code).to.equal("INVALID_INPUT");
    }
  });

  it("asix devnet snapshot save/list/restore and time advance call the control channel; an unknown name exits non-zero", async () => {
    const at = ["--devnet", stateDir, "--json"];
    const save = await asix(["devnet", "snapshot", "save", "cli-one", ...at]);
    expect(save.code, save.stderr + save.stdout).to.equal(0);
    expect(save.json).to.include({ name: "cli-one" });
    const list = await asix(["devnet", "snapshot", "list", ...at]);
    expect(list.json.snapshots.map((s: { name: string }) => s.name)).to.include("cli-one");
    const restore = await asix(["devnet", "snapshot", "restore", "cli-one", ...at]);
    expect(restore.code, restore.stderr).to.equal(0);
    expect(restore.json.ethChain).to.deep.equal(save.json.ethChain);

    const missing = await asix(["devnet", "snapshot", "restore", "never-saved", ...at]);
    expect(missing.code).to.equal(1);
    expect(missing.json.error.code).to.equal("NOT_FOUND");
    const text = await asix(["devnet", "snapshot", "restore", "never-saved", "--devnet", stateDir]);
    expect(text.code).to.equal(1);
    expect(text.stderr).to.contain("there is no snapshot named never-saved");

    const advance = await asix(["devnet", "time", "advance", "2h", ...at]);
    expect(advance.code, advance.stderr + advance.stdout).to.equal(0);
    expect(advance.json).to.include({ seconds: 7200 });
    expect(advance.json.ethChain.mined).to.equal(Math.floor(7200 / 13));
    const bad = await asix(["devnet", "time", "advance", "7 days", ...at]);
    expect(bad.code).to.equal(2);
    expect(bad.json.error.message).to.contain("is not a duration");
  });

  it("says so when the devnet has no control channel", async () => {
    const bare = fs.mkdtempSync(path.join(os.tmpdir(), "asix-snapctl-bare-"));
    const state = JSON.parse(fs.readFileSync(path.join(stateDir, "devnet.json"), "utf8"));
    delete state.control;
    fs.writeFileSync(path.join(bare, "devnet.json"), JSON.stringify({ ...state, dir: bare }));
    const res = await asix(["devnet", "snapshot", "list", "--devnet", bare, "--json"]);
    expect(res.code).to.equal(1);
    expect(res.json.error.code).to.equal("NODE_UNAVAILABLE");
    expect(res.json.error.message).to.contain("serves no control API");
  });
});
