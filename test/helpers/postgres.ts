import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { freePortBase } from "./ports";

/**
 * PostgreSQL for tests: `ASIX_TEST_DATABASE_URL` (a server the tests may create databases on) when
 * set; otherwise a private cluster of the installed PostgreSQL (Debian's /usr/lib/postgresql/<v>/bin),
 * started on first use in a temp dir and stopped when the process exits. There is no silent
 * skip: when neither works, the call throws and says why.
 */
const BIN_ROOT = "/usr/lib/postgresql";

let server: Promise<string> | undefined;

function findBin(): string {
  const override = process.env.ASIX_TEST_PG_BIN;
  if (override) return override;
  const versions = fs.existsSync(BIN_ROOT) ? fs.readdirSync(BIN_ROOT).filter((v) => fs.existsSync(path.join(BIN_ROOT, v, "bin", "initdb"))) : [];
  if (versions.length === 0) {
    throw new Error(`PostgreSQL tests need a server: set ASIX_TEST_DATABASE_URL, or install PostgreSQL (apt-get install postgresql; no initdb under ${BIN_ROOT})`);
  }
  return path.join(BIN_ROOT, versions.sort((a, b) => Number(b) - Number(a))[0], "bin");
}

/** initdb and the server refuse to run as root: as root they run as the `postgres` user. */
function asServerUser(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
}

async function startPrivateCluster(): Promise<string> {
  const bin = findBin();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-pg-"));
  if (process.getuid?.() === 0) execFileSync("chown", ["postgres:postgres", dir]);
  const data = path.join(dir, "data");
  const port = await freePortBase(1);
  const run = (command: string, args: string[]) => {
    const [cmd, argv] = asServerUser(path.join(bin, command), args);
    const r = spawnSync(cmd, argv, { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`PostgreSQL tests: ${command} failed (${r.status}): ${(r.stderr || r.stdout || String(r.error)).trim().slice(0, 2000)}`);
  };
  run("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "--locale=C.UTF-8", "--encoding=UTF8", "-N"]);
  // fsync off: a test cluster is thrown away, and fsync is what makes a small cluster slow
  run("pg_ctl", ["-D", data, "-l", path.join(dir, "server.log"), "-w", "-t", "60", "start", "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`]);
  process.once("exit", () => {
    const [cmd, argv] = asServerUser(path.join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "stop"]);
    spawnSync(cmd, argv);
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return `postgres://postgres@127.0.0.1:${port}/postgres`;
}

function adminUrl(): Promise<string> {
  server ??= process.env.ASIX_TEST_DATABASE_URL ? Promise.resolve(process.env.ASIX_TEST_DATABASE_URL) : startPrivateCluster();
  return server;
}

let counter = 0;

/** A new, empty database on the test server; its URL. */
export async function freshDatabaseUrl(): Promise<string> {
  const admin = await adminUrl();
  const name = `asix_test_${process.pid}_${Date.now().toString(36)}_${++counter}`;
  const client = new pg.Client({ connectionString: admin });
  try {
    await client.connect();
    await client.query(`CREATE DATABASE ${name}`);
  } catch (e) {
    throw new Error(`PostgreSQL tests: cannot create a database on ${admin.replace(/:[^:@/]*@/, ":***@")}: ${(e as Error).message}`);
  } finally {
    await client.end().catch(() => {});
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Which backend the discovery-node tests run on: `ASIX_TEST_DISCOVERY_BACKEND=postgres`, or SQLite. */
export const discoveryBackend = (): "sqlite" | "postgres" => (process.env.ASIX_TEST_DISCOVERY_BACKEND === "postgres" ? "postgres" : "sqlite");

/** A database URL for a discovery node under test: a fresh PostgreSQL database, or undefined for SQLite. */
export async function discoveryDatabaseUrl(): Promise<string | undefined> {
  return discoveryBackend() === "postgres" ? freshDatabaseUrl() : undefined;
}
