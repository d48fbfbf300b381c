import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import type { Devnet } from "../../devnet";
import { isAlive } from "../../devnet/state";
import { cidOfBytes } from "../../sdk";
import { startTestDevnet } from "../helpers/devnet";
import { makeAudio } from "../helpers/audio";
import { asix, ASIX_BIN } from "../helpers/cli";
import { freePortBase } from "../helpers/ports";

describe("asix CLI against a running devnet", function () {
  let devnet: Devnet;
  let mp3: string;
  let work: string;

  before(async () => {
    [devnet, mp3] = await Promise.all([startTestDevnet(), makeAudio({ seconds: 3, format: "mp3" })]);
    work = fs.mkdtempSync(path.join(os.tmpdir(), "asix-cli-"));
  });

  after(async () => {
    await devnet?.stop();
  });

  const on = () => ["--devnet", devnet.dir];

  let trackId: string;

  it("creates users, uploads, streams and follows, each with --json", async () => {
    const carol = await asix(["user", "create", "--handle", "carol", "--json", ...on()]);
    expect(carol.code, carol.stderr).to.equal(0);
    expect(carol.json.userId).to.be.a("string");
    expect(carol.json.handle).to.equal("carol");

    const dave = await asix(["user", "create", "--handle", "dave", "--account", "11", "--json", ...on()]);
    expect(dave.code, dave.stderr).to.equal(0);

    const up = await asix(["upload", mp3, "--title", "CLI tone", "--genre", "Ambient", "--json", ...on()]);
    expect(up.code, up.stderr).to.equal(0);
    trackId = up.json.trackId;
    expect(up.json.trackCid).to.match(/^Qm/);

    const out = path.join(work, "out.mp3");
    const stream = await asix(["stream", trackId, "-o", out, "--json", ...on()]);
    expect(stream.code, stream.stderr).to.equal(0);
    expect(await cidOfBytes(fs.readFileSync(out))).to.equal(up.json.trackCid);
    expect(stream.json.bytes).to.equal(fs.statSync(out).size);

    const follow = await asix(["follow", "carol", "--account", "11", "--json", ...on()]);
    expect(follow.code, follow.stderr).to.equal(0);
    expect(follow.json.followee.handle).to.equal("carol");
  });

  it("inspects, searches, reposts, saves, and builds playlists from the command line", async () => {
    const run = async (...args: string[]) => {
      const res = await asix([...args, "--json", ...on()]);
      expect(res.code, `${args.join(" ")}: ${res.stderr}${res.stdout}`).to.equal(0);
      return res.json;
    };
    expect((await run("track", "info", trackId)).title).to.equal("CLI tone");
    expect((await run("track", "list", "carol")).data.map((t: { id: string }) => t.id)).to.deep.equal([trackId]);
    expect((await run("track", "search", "cli to")).data.map((t: { id: string }) => t.id)).to.include(trackId);
    await run("track", "repost", trackId, "--account", "11");
    await run("track", "save", trackId, "--account", "11");
    const info = await run("track", "info", trackId);
    expect([info.repostCount, info.favoriteCount]).to.deep.equal([1, 1]);
    expect((await run("track", "trending")).data[0].id).to.equal(trackId);

    const created = await run("playlist", "create", "Road trip", "--track", trackId, "--account", "11");
    const playlistId = created.playlistId;
    await run("playlist", "add", playlistId, trackId, "--account", "11");
    expect((await run("playlist", "info", playlistId)).tracks).to.have.length(2);
    await run("playlist", "remove", playlistId, trackId, "--account", "11");
    expect((await run("playlist", "list", "dave")).data.map((p: { id: string }) => p.id)).to.deep.equal([playlistId]);
    const album = await run("playlist", "create", "LP", "--album", "--track", trackId);
    expect((await run("playlist", "info", album.playlistId)).isAlbum).to.equal(true);

    expect((await run("user", "info", "carol")).followerCount).to.equal(1);
    expect((await run("user", "search", "car")).data.map((u: { handle: string }) => u.handle)).to.include("carol");
    expect((await run("user", "followers", "carol")).data.map((u: { handle: string }) => u.handle)).to.deep.equal(["dave"]);
    expect((await run("user", "following", "dave")).data.map((u: { handle: string }) => u.handle)).to.deep.equal(["carol"]);
    await run("unfollow", "carol", "--account", "11");
    expect((await run("user", "info", "carol")).followerCount).to.equal(0);
    await run("follow", "carol", "--account", "11");
  });

  it("prints people-friendly lines without --json", async () => {
    const res = await asix(["stream", trackId, "-o", path.join(work, "again.mp3"), ...on()]);
    expect(res.code, res.stderr).to.equal(0);
    expect(res.stdout).to.match(/^Wrote \d+ bytes to /);
  });

  it("fails an upload of a missing file with one line and a non-zero exit", async () => {
    const res = await asix(["upload", path.join(work, "missing.mp3"), "--title", "x", ...on()]);
    expect(res.code).to.equal(1);
    expect(res.stderr.trim().split("\n")).to.have.length(1);
    expect(res.stderr).to.match(/file not found: .*missing\.mp3/);
  });

  it("answers --json failures as {error:{code,message}}", async () => {
    const res = await asix(["follow", "nobody_here", "--json", ...on()]);
    expect(res.code).to.equal(1);
    expect(res.json.error.code).to.equal("NOT_FOUND");
  });

  it("says clearly when no devnet is running", async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "asix-nodevnet-"));
    const res = await asix(["user", "create", "--handle", "x"], { cwd: empty });
    expect(res.code).to.equal(1);
    expect(res.stderr).to.match(/no running devnet found .*asix devnet up/);
  });
});

describe("asix devnet up / down", function () {
  it("starts from an empty folder, answers, and stops on Ctrl-C leaving nothing running", async () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "asix-up-"));
    const child = spawn(process.execPath, [ASIX_BIN, "devnet", "up", "--content-nodes", "1", "--port-base", String(await freePortBase())], { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (c) => (out += c));
    child.stderr.on("data", (c) => (out += c));
    const stateFile = path.join(cwd, ".asix/devnet/devnet.json");
    const deadline = Date.now() + 60_000;
    while (!out.includes("Press Ctrl-C") && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
    expect(out).to.include("Press Ctrl-C");
    const state = JSON.parse(fs.readFileSync(stateFile, "utf8"));
    const health = await fetch(`${state.services.discovery[0]}/health_check`);
    expect(health.status).to.equal(200);

    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    child.kill("SIGINT");
    expect(await exited).to.equal(0);
    expect(isAlive(child.pid!)).to.equal(false);
    const refused = await fetch(`${state.services.discovery[0]}/health_check`).then(
      () => "answered",
      () => "refused",
    );
    expect(refused).to.equal("refused");
    expect(fs.existsSync(stateFile)).to.equal(false);
  });

  it("`asix devnet down` stops a devnet running in the background", async () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "asix-down-"));
    const child = spawn(process.execPath, [ASIX_BIN, "devnet", "up", "--content-nodes", "1", "--port-base", String(await freePortBase())], { cwd, stdio: "ignore" });
    const stateFile = path.join(cwd, ".asix/devnet/devnet.json");
    const deadline = Date.now() + 60_000;
    while (!fs.existsSync(stateFile) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const res = await asix(["devnet", "down", "--json"], { cwd });
    expect(res.code, res.stderr).to.equal(0);
    expect(res.json).to.deep.equal({ stopped: true, pid: child.pid });
    expect(isAlive(child.pid!)).to.equal(false);
  });
});
