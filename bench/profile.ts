import fs from "node:fs";
import path from "node:path";
import { Session } from "node:inspector/promises";

/**
 * CPU profile of this process while `run` runs, summarised as self time by where the code lives
 * (which library or service), so a bench can say where its ceiling is.
 */
export async function profiled<T>(run: () => Promise<T>): Promise<{ result: T; selfTimeShare: Record<string, number> }> {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 500 });
  await session.post("Profiler.start");
  let result: T;
  let profile: Profile;
  try {
    result = await run();
  } finally {
    profile = (await session.post("Profiler.stop")).profile as Profile;
    session.disconnect();
  }
  const dir = process.env.BENCH_CPU_PROF;
  if (dir) {
    // the whole profile, for Chrome DevTools or a call-tree analysis of where a ceiling is
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${path.basename(process.argv[1] ?? "bench", ".ts")}-${Date.now()}.cpuprofile`), JSON.stringify(profile));
  }
  return { result, selfTimeShare: summarise(profile) };
}

interface Profile {
  nodes: { id: number; callFrame: { functionName: string; url: string } }[];
  samples: number[];
  timeDeltas: number[];
}

const PLACES: [string, RegExp][] = [
  ["ECDSA and hashing (@noble, JS)", /@noble\//],
  ["ethers (ABI, RLP, typed data)", /\/ethers\//],
  ["chain (Hardhat/EDR provider, JSON-RPC server)", /hardhat|@nomicfoundation|json-stream-stringify/],
  ["SQLite (better-sqlite3)", /better-sqlite3/],
  ["HTTP (node http, undici, express)", /node:_http|node:net|undici|express|router|body-parser|raw-body|node:internal\/(http|deps\/undici|streams)/],
  ["identity service", /identity-service\//],
  ["discovery node", /discovery-node\//],
  ["devnet chain wrapper", /devnet\/chain/],
];

function summarise(profile: Profile): Record<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const time = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    const { functionName, url } = byId.get(id)!.callFrame;
    const place =
      functionName === "(idle)" ? "idle (waiting)" :
      functionName === "(garbage collector)" ? "garbage collector" :
      !url ? `native: ${functionName || "(program)"}` :
      (PLACES.find(([, re]) => re.test(url))?.[0] ?? "other JS");
    time.set(place, (time.get(place) ?? 0) + dt);
  });
  // native entries are many and small: fold those under 1 % together
  const out: Record<string, number> = {};
  for (const [place, t] of [...time].sort((a, b) => b[1] - a[1])) {
    const share = Math.round((1000 * t) / total) / 10;
    const key = place.startsWith("native: ") && share < 1 ? "native: other" : place;
    out[key] = Math.round(((out[key] ?? 0) + share) * 10) / 10;
  }
  return out;
}
