import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { Wallet } from "ethers";
import type { Devnet } from "../../devnet";
import { DEVNET_ROLES } from "../../devnet/accounts";
import { createAsix, type Asix } from "../../sdk";
import { encodeManageEntityCall, randomNonce, signManageEntity } from "../../sdk/eip712";
import { decodeHashId } from "../../sdk/hashids";
import { replicaSet } from "../../sdk/rendezvous";
import { makeAudio } from "../helpers/audio";
import { startTestDevnet } from "../helpers/devnet";
import { send } from "./wire";

/**
 * The one devnet every hostile-input file runs against, seeded with real entities so that each
 * attack has something to aim at: an artist with a track (audio, preview, cover art), a playlist, a
 * fan who follows, saves and reposts, and a relayed action already on chain (for replays).
 */
export interface World {
  devnet: Devnet;
  discovery: string;
  identity: string;
  content: string[];
  artist: { asix: Asix; wallet: Wallet; id: number; hashid: string; handle: string };
  fan: { asix: Asix; wallet: Wallet; id: number; hashid: string };
  /** a wallet that owns no user and holds nothing */
  stranger: Wallet;
  track: { id: number; hashid: string; cid: string; origCid: string; coverUploadId: string };
  playlist: { id: number; hashid: string };
  /** the 2 s MP3 the track was made from */
  mp3: Buffer;
  /** content node URLs that hold `cid`, and those that do not */
  holders(cid: string): Promise<{ with: string[]; without: string[] }>;
  /** a fresh stream signature from the discovery node, as its /stream redirect carries it */
  streamSignature(): Promise<string>;
  /** the body of a POST /relay that was already mined (a Follow of the artist by the fan) */
  minedRelayBody: Record<string, unknown>;
}

let registered = 0;
let finished = 0;
let shared: Promise<World> | undefined;

/**
 * Call inside a describe: the world is built by the first file that runs and stopped after the
 * last registered file ends. Files register while mocha loads them, so the count is known before
 * any test runs and the devnet is started exactly once per mocha run.
 */
export function useWorld(): () => World {
  registered++;
  let world: World | undefined;
  before(async function () {
    this.timeout(240_000);
    world = await (shared ??= buildWorld());
  });
  after(async function () {
    this.timeout(60_000);
    finished++;
    if (finished === registered && shared) {
      const w = await shared.catch(() => undefined);
      shared = undefined;
      await w?.devnet.stop();
    }
  });
  return () => {
    if (!world) throw new Error("the hostile world was not built");
    return world;
  };
}

async function buildWorld(): Promise<World> {
  const devnet = await startTestDevnet();
  try {
    return await seed(devnet);
  } catch (e) {
    await devnet.stop();
    throw e;
  }
}

async function seed(devnet: Devnet): Promise<World> {
  const discovery = devnet.services.discovery[0];
  const client = (i: number) => {
    const wallet = new Wallet(devnet.accounts[DEVNET_ROLES.users[i]].privateKey);
    return { wallet, asix: createAsix({ network: devnet, wallet: wallet.privateKey }) };
  };
  const a = client(0);
  const f = client(1);
  const handle = "hostile_artist";
  const [artistUser, fanUser] = await Promise.all([a.asix.users.create({ handle, bio: "target practice" }), f.asix.users.create({ handle: "hostile_fan" })]);

  const mp3 = await makeAudio({ seconds: 2, format: "mp3" });
  const cover = await sharp({ create: { width: 200, height: 200, channels: 3, background: "#aa3355" } }).png().toBuffer();
  const uploaded = await a.asix.tracks.upload(mp3, { title: "Hostile Tone", genre: "Electronic", tags: "tone,test" }, { cover });
  const { playlistId } = await a.asix.playlists.create({ name: "Hostile Mix", description: "a playlist to attack", trackIds: [uploaded.trackId] });
  await f.asix.tracks.save(uploaded.trackId);
  await f.asix.tracks.repost(uploaded.trackId);
  await f.asix.playlists.save(playlistId);

  // The fan follows the artist through a relay body built here, so the suite can replay it byte for byte.
  const domain = { chainId: devnet.dataChain.chainId, verifyingContract: devnet.dataChain.contracts.entityManager };
  const follow = {
    userId: BigInt(decodeHashId(fanUser.userId)!),
    entityType: "User",
    entityId: BigInt(decodeHashId(artistUser.userId)!),
    action: "Follow",
    metadata: "",
    nonce: randomNonce(),
  };
  const minedRelayBody = {
    contractRegistryKey: "EntityManager",
    contractAddress: domain.verifyingContract,
    encodedABI: encodeManageEntityCall(follow, await signManageEntity(f.wallet, domain, follow)),
    senderAddress: f.wallet.address,
    gasLimit: 3_000_000,
  };
  const relayed = await send({ base: discovery, method: "POST", path: "/relay", headers: { "content-type": "application/json" }, body: JSON.stringify(minedRelayBody) });
  if (relayed.status !== 200) throw new Error(`seeding: the follow relay answered ${relayed.status} ${relayed.body}`);
  await waitFor(async () => (await f.asix.users.following(fanUser.userId)).length === 1, "the follow was not indexed");

  const track = await a.asix.tracks.get(uploaded.trackId);
  const world: World = {
    devnet,
    discovery,
    identity: devnet.services.identity,
    content: devnet.services.contentNodes,
    artist: { ...a, id: decodeHashId(artistUser.userId)!, hashid: artistUser.userId, handle },
    fan: { ...f, id: decodeHashId(fanUser.userId)!, hashid: fanUser.userId },
    stranger: new Wallet(Wallet.createRandom().privateKey),
    track: {
      id: decodeHashId(uploaded.trackId)!,
      hashid: uploaded.trackId,
      cid: track.trackCid,
      origCid: track.origFileCid,
      coverUploadId: uploaded.coverArtUploadId!,
    },
    playlist: { id: decodeHashId(playlistId)!, hashid: playlistId },
    mp3: fs.readFileSync(mp3),
    async holders(cid) {
      // Placement has settled before the world is handed out, and refused writes never move blobs.
      // (Asked of the disk: /internal answers only registered peers' signed requests.)
      const perNode = contentBlobs(world);
      const nodes = devnet.services.contentNodes;
      return { with: nodes.filter((_, i) => perNode[i].includes(cid)), without: nodes.filter((_, i) => !perNode[i].includes(cid)) };
    },
    async streamSignature() {
      const res = await send({ base: discovery, method: "GET", path: `/v1/tracks/${uploaded.trackId}/stream` });
      if (res.status !== 302) throw new Error(`stream redirect answered ${res.status}`);
      return new URL(String(res.headers.location)).searchParams.get("signature")!;
    },
    minedRelayBody,
  };
  await waitFor(() => replicationSettled(world), "replication did not settle");
  return world;
}

/**
 * Every blob of the network sits on exactly the nodes of its replica set (so the repair loop has
 * nothing left to move), and no upload or replica push is in flight.
 */
export async function replicationSettled(world: World): Promise<boolean> {
  const perNode = contentBlobs(world);
  const all = new Set(perNode.flat());
  const factor = Math.min(2, world.content.length);
  for (const cid of all) {
    const owners = new Set(replicaSet(world.content, cid, factor));
    if (!world.content.every((node, i) => perNode[i].includes(cid) === owners.has(node))) return false;
  }
  return contentTmpFiles(world).length === 0;
}

export async function waitFor(check: () => Promise<boolean> | boolean, failure: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(failure);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// ---- what is on disk ---------------------------------------------------------------------------

const dataDir = (world: World, node: string) => path.join(world.devnet.dir, "data", node);
const contentDirs = (world: World) => world.content.map((_, i) => dataDir(world, `content-node-${i + 1}`));

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

/** The CIDs each content node has as blob files, sorted. */
export function contentBlobs(world: World): string[][] {
  return contentDirs(world).map((dir) => walk(path.join(dir, "blobs")).map((f) => path.basename(f)).sort());
}

export function contentTmpFiles(world: World): string[] {
  return contentDirs(world).flatMap((dir) => walk(path.join(dir, "tmp")));
}

/** Lines of the services' logs that record a 500 (the shared error handler logs each one). */
export function unhandledErrorLines(world: World): string[] {
  const logs = path.join(world.devnet.dir, "logs");
  return fs.readdirSync(logs).flatMap((name) =>
    fs.readFileSync(path.join(logs, name), "utf8").split("\n").filter((line) => line.includes('"msg":"unhandled error"')).map((line) => `${name}: ${line.slice(0, 400)}`),
  );
}
