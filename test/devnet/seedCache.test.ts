import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { DATA_CHAIN_ID, startDevnet, type Devnet } from "../../devnet";
import sharp from "sharp";
import { planSeed, seedDevnet, type SeedCounts, type SeedResult } from "../../devnet/seed";
import { SEED_CACHE_ENTRIES, seedCacheEntry } from "../../devnet/seed/cache";
import { createAsix } from "../../sdk";
import { asix } from "../helpers/cli";
import { freePortBase } from "../helpers/ports";

/** A small catalog: the cache is what is under test, not the size of the seed. */
const COUNTS: SeedCounts = { artists: 2, tracks: 3, playlists: 1, albums: 1, seconds: [2, 4] };
const SEED = 11;

/** What the discovery node serves of the seeded tracks, through its public API only. */
async function tracksOf(devnet: Devnet, seeded: SeedResult): Promise<Array<{ id: string; title: string; owner: string }>> {
  const asix = createAsix({ network: devnet });
  const out: Array<{ id: string; title: string; owner: string }> = [];
  for (const artist of seeded.artists) {
    const user = await asix.users.getByHandle(artist.handle);
    for (const t of await asix.users.tracks(user.id)) out.push({ id: t.id, title: t.title, owner: user.handle });
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : 1));
}

async function indexedBlock(devnet: Devnet): Promise<number> {
  const res = await fetch(`${devnet.services.discovery[0]}/health_check`);
  return ((await res.json()) as { data: { latest_indexed_block: number } }).data.latest_indexed_block;
}

async function dataHead(devnet: Devnet): Promise<number> {
  const res = await fetch(devnet.dataChain.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] }) });
  return Number(((await res.json()) as { result: string }).result);
}

describe("devnet seed cache", function () {
  this.timeout(300_000);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "asix-seed-cache-"));
  const cache = path.join(root, "cache");
  let portBase: number;
  let devnet: Devnet | undefined;
  let first: SeedResult;
  let firstTracks: Array<{ id: string; title: string; owner: string }>;

  /** A fresh devnet on the same ports each time: the URLs are registered on chain, so they are part of the key. */
  const fresh = async (name: string) => {
    await devnet?.stop();
    devnet = undefined;
    devnet = await startDevnet({ dir: path.join(root, name), persist: true, contentNodes: 2, portBase, logs: false });
    return devnet;
  };
  const entries = () => (fs.existsSync(cache) ? fs.readdirSync(cache) : []);

  before(async () => {
    portBase = await freePortBase();
  });
  after(async () => {
    await devnet?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("seeds a pristine devnet for real and keeps it in the cache", async () => {
    // four older entries of other keys, used 1 to 4 days ago: the save keeps the newest SEED_CACHE_ENTRIES
    const others = [1, 2, 3, 4].map((days) => {
      const name = String(days).repeat(40);
      fs.mkdirSync(path.join(cache, name), { recursive: true });
      const used = new Date(Date.now() - days * 86_400_000);
      fs.utimesSync(path.join(cache, name), used, used);
      return name;
    });
    const a = await fresh("a");
    const lines: string[] = [];
    first = await seedDevnet(a, { seed: SEED, counts: COUNTS, cache, log: (l) => lines.push(l) });
    expect(first.fromCache).to.equal(false);
    expect(lines.some((l) => l.startsWith("kept in the seed cache")), lines.join("\n")).to.equal(true);
    expect(SEED_CACHE_ENTRIES).to.equal(4);
    const kept = entries().filter((e) => !others.includes(e));
    expect(kept).to.have.length(1);
    expect(entries().sort()).to.deep.equal([...kept, ...others.slice(0, 3)].sort());
    for (const other of others) fs.rmSync(path.join(cache, other), { recursive: true, force: true });
    firstTracks = await tracksOf(a, first);
    expect(firstTracks.map((t) => t.id).sort()).to.deep.equal(first.tracks.map((t) => t.trackId).sort());
  });

  it("restores the same catalog on another fresh devnet, which streams, agrees with its chains and takes new writes", async () => {
    const b = await fresh("b");
    const second = await seedDevnet(b, { seed: SEED, counts: COUNTS, cache });
    expect(second.fromCache).to.equal(true);
    const { ms: _a, fromCache: _b, ...same } = second;
    const { ms: _c, fromCache: _d, ...expected } = first;
    expect(same).to.deep.equal(expected);
    expect(await tracksOf(b, second)).to.deep.equal(firstTracks);

    // the blobs came too: a track streams from a content node
    const asix = createAsix({ network: b });
    const { stream, status } = await asix.tracks.stream(second.tracks[0].trackId, { range: { start: 0, end: 99 } });
    expect(status).to.equal(206);
    expect((await new Response(stream).arrayBuffer()).byteLength).to.equal(100);
    // the eth chain holds the seeded operator's stake
    const operator = await asix.staking.getServiceProvider(second.staking.operator);
    expect(operator.deployerStake).to.equal(BigInt(second.staking.stake));

    // a new write: relayed, mined, indexed; the index stands at the data chain's head
    const writer = createAsix({ network: b, wallet: b.accounts[10].privateKey });
    const { userId } = await writer.users.create({ handle: "after_cache" });
    await writer.users.follow((await asix.users.getByHandle(second.artists[0].handle)).id);
    expect((await asix.users.get(userId)).handle).to.equal("after_cache");
    expect(await indexedBlock(b)).to.equal(await dataHead(b));
    // and the data chain's clock is today's, not the cached seed's
    const head = (await (await fetch(b.dataChain.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_getBlockByNumber", params: ["latest", false] }) })).json()) as { result: { timestamp: string } };
    expect(Math.abs(Number(head.result.timestamp) - Date.now() / 1000)).to.be.below(120);
  });

  it("seeds for real a devnet that had one write before the seed", async () => {
    const c = await fresh("c");
    await createAsix({ network: c, wallet: c.accounts[10].privateKey }).users.create({ handle: "was_here" });
    const lines: string[] = [];
    const seeded = await seedDevnet(c, { seed: SEED, counts: COUNTS, cache, log: (l) => lines.push(l) });
    expect(seeded.fromCache).to.equal(false);
    expect(lines.some((l) => l.includes("not pristine")), lines.join("\n")).to.equal(true);
    expect((await createAsix({ network: c }).users.getByHandle("was_here")).handle).to.equal("was_here");
  });

  it("keeps a devnet pristine across down and up, and counts an upload alone, or a sign-up alone, as a write", async () => {
    const plan = planSeed(SEED, COUNTS);
    const reasons: string[] = [];
    await fresh("g");
    // still pristine after down and up: a restart replays the journals and writes nothing
    await devnet!.stop();
    devnet = undefined;
    const g = (devnet = await startDevnet({ dir: path.join(root, "g"), persist: true, contentNodes: 2, portBase, logs: false }));
    expect(await seedCacheEntry(g, plan, cache, (r) => reasons.push(r)), reasons.join("\n")).to.not.equal(undefined);
    const png = path.join(root, "one.png");
    fs.writeFileSync(png, await sharp({ create: { width: 8, height: 8, channels: 3, background: "#c0ffee" } }).png().toBuffer());
    await createAsix({ network: g, wallet: g.accounts[10].privateKey }).content.upload({ file: png, template: "img_square" });
    expect(await seedCacheEntry(g, plan, cache, (r) => reasons.push(r))).to.equal(undefined);
    expect(reasons.pop()).to.match(/not pristine: content node \d holds blobs/);

    const h = await fresh("h");
    await createAsix({ network: h }).auth.signUp({ email: "cache@example.com", password: "correct horse battery" });
    expect(await seedCacheEntry(h, plan, cache, (r) => reasons.push(r))).to.equal(undefined);
    expect(reasons.pop()).to.contain("not pristine: the identity service holds records");
  });

  it("with cache: false, seeds for real a pristine devnet", async () => {
    const d = await fresh("d");
    const seeded = await seedDevnet(d, { seed: SEED, counts: COUNTS, cache: false });
    expect(seeded.fromCache).to.equal(false);
    expect(seeded.tracks.map((t) => t.title)).to.deep.equal(first.tracks.map((t) => t.title));
  });

  it("ignores a damaged entry, seeds for real, and replaces it", async () => {
    // a block taken out of the middle of the data chain's journal: the entry looks whole, and its
    // replay fails halfway, after the nodes' data were swapped
    const [key] = entries();
    const journal = path.join(cache, key, "data", "chains", `${DATA_CHAIN_ID}.journal`);
    const lines = fs.readFileSync(journal, "utf8").split("\n");
    const blocks = lines.map((l, i) => [l, i] as const).filter(([l]) => l.includes('"txs":["0x'));
    lines.splice(blocks[Math.floor(blocks.length / 2)][1], 1);
    fs.rmSync(journal);
    fs.writeFileSync(journal, lines.join("\n"));

    const e = await fresh("e");
    const log: string[] = [];
    const seeded = await seedDevnet(e, { seed: SEED, counts: COUNTS, cache, log: (l) => log.push(l) });
    expect(seeded.fromCache).to.equal(false);
    expect(log.some((l) => l.includes("could not be restored")), log.join("\n")).to.equal(true);
    expect(seeded.tracks.map((t) => t.title)).to.deep.equal(first.tracks.map((t) => t.title));
    expect((await tracksOf(e, seeded)).map((t) => t.id).sort()).to.deep.equal(seeded.tracks.map((t) => t.trackId).sort());
    expect(entries()).to.deep.equal([key]);

    // the replacement serves the next fresh devnet
    const f = await fresh("f");
    const again = await seedDevnet(f, { seed: SEED, counts: COUNTS, cache });
    expect(again.fromCache).to.equal(true);
    expect(again.tracks.map((t) => t.trackId)).to.deep.equal(seeded.tracks.map((t) => t.trackId));
  });

  it("asix devnet seed says when it seeded from cache", async () => {
    const env = { ASIX_SEED_CACHE_DIR: path.join(root, "cli-cache") };
    const args = (name: string) => ["devnet", "seed", "--devnet", path.join(root, name), "--seed-value", String(SEED), "--artists", "1", "--tracks", "1"];
    await fresh("cli-1");
    const real = await asix([...args("cli-1"), "--json"], { env });
    expect(real.code, real.stderr).to.equal(0);
    expect(real.json.fromCache).to.equal(false);
    await fresh("cli-2");
    const cached = await asix(args("cli-2"), { env });
    expect(cached.code, cached.stderr).to.equal(0);
    expect(cached.stdout).to.match(/Seeded the devnet from cache \(seed value 11\) in [\d.]+ s: 1 artists, 1 tracks/);
    // the same track, under the same id, now served by this devnet
    const track = await createAsix({ network: devnet! }).tracks.get(real.json.tracks[0].trackId);
    expect(track.title).to.equal(real.json.tracks[0].title);
  });
});
