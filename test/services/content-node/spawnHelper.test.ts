import { expect } from "chai";
import type { Readable } from "node:stream";
import { FFMPEG_PATH, runFfmpeg } from "../../../devnet/services/content-node/ffmpeg";
import { spawnTool, type ToolProcess } from "../../../devnet/services/content-node/spawnHelper";
import { isAsixError } from "../../../sdk/errors";

/** Tools started through the spawn helper: from another, small process, with their outputs read here. */
describe("content node: the spawn helper", function () {
  this.timeout(30_000);

  const collect = (s: Readable) => new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    s.on("data", (d: Buffer) => chunks.push(d)).once("end", () => resolve(Buffer.concat(chunks))).once("error", reject);
  });
  const closed = (p: ToolProcess) => new Promise<{ code: number | null; signal: string | null }>((resolve, reject) => {
    p.once("close", (code, signal) => resolve({ code, signal }));
    p.once("error", reject);
  });

  it("starts a tool from the helper, not from this process (no fork of a large process per job)", async () => {
    const p = await spawnTool("/bin/sh", ["-c", "echo $PPID"], [1]);
    const [out, exit] = await Promise.all([collect(p.stdout), closed(p)]);
    expect(exit.code).to.equal(0);
    const parent = Number(out.toString().trim());
    expect(parent).to.be.greaterThan(0);
    expect(parent).to.not.equal(process.pid);
  });

  it("delivers every byte of each piped fd (stdout, stderr and fd 3) and the exit code", async () => {
    const p = await spawnTool("/bin/sh", ["-c", "head -c 3000000 /dev/zero; echo warn >&2; head -c 500000 /dev/zero >&3; exit 3"], [1, 2, 3]);
    const [out, err, fd3, exit] = await Promise.all([collect(p.stdout), collect(p.stderr), collect(p.stdio[3]!), closed(p)]);
    expect(out.length).to.equal(3_000_000);
    expect(err.toString()).to.equal("warn\n");
    expect(fd3.length).to.equal(500_000);
    expect(exit.code).to.equal(3);
  });

  it("runs jobs side by side, each with its own outputs", async () => {
    const jobs = await Promise.all(Array.from({ length: 6 }, (_, i) => spawnTool("/bin/sh", ["-c", `head -c ${(i + 1) * 100000} /dev/zero; echo ${i} >&2`], [1, 2])));
    const results = await Promise.all(jobs.map(async (p) => {
      const [out, err, exit] = await Promise.all([collect(p.stdout), collect(p.stderr), closed(p)]);
      return { out: out.length, err: err.toString(), exit };
    }));
    results.forEach((r, i) => {
      expect(r.out).to.equal((i + 1) * 100000);
      expect(r.err).to.equal(`${i}\n`);
      expect(r.exit.code).to.equal(0);
    });
  });

  it("kills a running tool on abort", async () => {
    const abort = new AbortController();
    const run = runFfmpeg(["-hide_banner", "-nostdin", "-re", "-f", "lavfi", "-i", "sine=duration=60", "-f", "null", "-"], { signal: abort.signal });
    setImmediate(() => abort.abort());
    const err = await run.then(() => undefined, (e: unknown) => e);
    expect(isAsixError(err, "INTERNAL")).to.equal(true);
  });

  it("reports a failing ffmpeg with its last words", async () => {
    const err = await runFfmpeg(["-hide_banner", "-nostdin", "-v", "error", "-i", "file:/nonexistent/input.wav", "-f", "null", "-"]).then(() => undefined, (e: unknown) => e);
    expect(isAsixError(err, "UPLOAD_FAILED")).to.equal(true);
    expect(String((err as Error).message)).to.match(/nonexistent/);
    expect(FFMPEG_PATH).to.be.a("string");
  });
});
