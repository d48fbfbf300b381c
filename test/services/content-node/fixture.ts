import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { Wallet, type HDNodeWallet } from "ethers";
import { startContentNode, type ContentNodeConfig, type RunningContentNode } from "../../../devnet/services/content-node";
import { signRequestHeaders } from "../../../sdk/signatures";
import { FFMPEG } from "../../helpers/audio";

const run = promisify(execFile);

/** Real content nodes on free ports, each with its own temp dir, sharing one mutable peer list. */
export interface NodeFixture {
  nodes: RunningContentNode[];
  dirs: string[];
  configs: ContentNodeConfig[];
  peers: string[];
  /** each node's delegate wallet (signs its requests to peers) */
  wallets: HDNodeWallet[];
  discovery: HDNodeWallet;
  user: HDNodeWallet;
  /** stop node i (its dir and port are kept) */
  stopNode(i: number): Promise<void>;
  /** start node i again on the same dir and port */
  restartNode(i: number): Promise<void>;
  close(): Promise<void>;
}

export async function startNodes(count: number, overrides: Partial<ContentNodeConfig> = {}): Promise<NodeFixture> {
  const peers: string[] = [];
  const discovery = Wallet.createRandom();
  const dirs: string[] = [];
  const configs: ContentNodeConfig[] = [];
  const nodes: RunningContentNode[] = [];
  // Every node's delegate wallet, as the registry would list them: peers may call each other's /internal.
  const wallets = Array.from({ length: count }, () => Wallet.createRandom());
  for (let i = 0; i < count; i++) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-content-"));
    const config: ContentNodeConfig = {
      dir,
      privateKey: wallets[i].privateKey,
      peers: () => [...peers],
      peerSigners: () => wallets.map((w) => w.address),
      discoverySigners: () => [discovery.address],
      replicationFactor: 2,
      repairIntervalMs: 500,
      ...overrides,
    };
    const node = await startContentNode(config);
    config.port = Number(new URL(node.url).port);
    dirs.push(dir);
    configs.push(config);
    nodes.push(node);
    peers.push(node.url);
  }
  const running = new Set(nodes.map((_, i) => i));
  return {
    nodes,
    dirs,
    configs,
    peers,
    wallets,
    discovery,
    user: Wallet.createRandom(),
    async stopNode(i) {
      running.delete(i);
      await nodes[i].stop();
    },
    async restartNode(i) {
      nodes[i] = await startContentNode(configs[i]);
      running.add(i);
    },
    async close() {
      await Promise.all([...running].map((i) => nodes[i].stop()));
      for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface UploadAnswer {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** POST /uploads with signed headers; `fields` go before the file part, as clients send them. */
export async function postUpload(
  url: string,
  wallet: Wallet | HDNodeWallet | undefined,
  template: string,
  bytes: Uint8Array,
  filename: string,
  fields: Record<string, string> = {},
  headers: Record<string, string> = {},
): Promise<UploadAnswer> {
  const form = new FormData();
  form.set("template", template);
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  form.set("files", new Blob([bytes]), filename);
  const signed = wallet ? await signRequestHeaders(wallet) : {};
  const res = await fetch(`${url}/uploads`, { method: "POST", body: form, headers: { ...signed, ...headers } });
  return { status: res.status, body: await res.json() };
}

/**
 * Poll GET /uploads/:id until done (with its music analysis finished, so no blob appears after
 * this returns) or error.
 */
export async function waitForUpload(url: string, id: string, timeoutMs = 60_000, onPoll?: (u: any) => void): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const upload = await json(await fetch(`${url}/uploads/${id}`));
    onPoll?.(upload);
    const analysing = upload.audio_analysis_status === "new" || upload.audio_analysis_status === "busy";
    if ((upload.status === "done" && !analysing) || upload.status === "error") return upload;
    if (Date.now() > deadline) throw new Error(`upload ${id} still ${upload.status} after ${timeoutMs} ms`);
    await sleep(100);
  }
}

export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs = 20_000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** A response's JSON body, untyped (tests assert its shape). */
export const json = (res: Response): Promise<any> => res.json(); // eslint-disable-line @typescript-eslint/no-explicit-any

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every file under a node's blobs and tmp dirs (relative paths), to prove nothing was left behind. */
export function filesOnDisk(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(dir, p));
    }
  };
  walk(path.join(dir, "blobs"));
  walk(path.join(dir, "tmp"));
  return out.sort();
}

export interface AudioFacts {
  duration: number;
  codec: string;
  sampleRate: number;
  kbps: number;
}

/** What ffmpeg says about an audio file (the npm binary ships no ffprobe). */
export async function probe(file: string): Promise<AudioFacts> {
  const { stderr } = await run(FFMPEG, ["-hide_banner", "-i", file]).catch((e) => e);
  const d = /Duration: (\d+):(\d\d):(\d\d\.\d+)/.exec(stderr)!;
  const a = /Audio: (\w+)[^,]*, (\d+) Hz,[^\n]*?(\d+) kb\/s/.exec(stderr)!;
  return { duration: +d[1] * 3600 + +d[2] * 60 + +d[3], codec: a[1], sampleRate: +a[2], kbps: +a[3] };
}

/** The exact decoded duration (decodes the whole file; header estimates can be off). */
export async function decodedDuration(file: string): Promise<number> {
  const { stderr } = await run(FFMPEG, ["-hide_banner", "-i", file, "-f", "null", "-"]);
  const times = [...stderr.matchAll(/time=(\d+):(\d\d):(\d\d\.\d+)/g)];
  const t = times[times.length - 1];
  return +t[1] * 3600 + +t[2] * 60 + +t[3];
}

export async function download(url: string, file: string): Promise<void> {
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status}`);
  fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
}
