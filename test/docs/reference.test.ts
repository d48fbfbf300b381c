import { expect } from "chai";
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "../..");
const TYPEDOC = path.join(ROOT, "node_modules/.bin/typedoc");

interface Comment {
  summary: Array<{ text: string }>;
  blockTags?: Array<{ tag: string; content: Array<{ text: string }> }>;
}
interface Reflection {
  id: number;
  name: string;
  kind: number;
  comment?: Comment;
  children?: Reflection[];
  signatures?: Array<{ comment?: Comment; parameters?: Array<{ name: string; comment?: Comment }> }>;
  type?: { type: string; target?: number };
}

const text = (parts: Array<{ text: string }> = []) => parts.map((p) => p.text).join("");

function findAll(node: Reflection, pick: (r: Reflection) => boolean, out: Reflection[] = []): Reflection[] {
  if (pick(node)) out.push(node);
  for (const child of node.children ?? []) findAll(child, pick, out);
  return out;
}

describe("the API reference (npm run docs)", function () {
  this.timeout(300_000);
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "asix-reference-"));
  let api: Reflection;

  before(async () => {
    // The same configuration as `npm run docs` (typedoc.json: warnings are errors), into a temp dir.
    // --skipErrorChecking: npm test type-checks the sources already (npm run typecheck); this saves ~8 s.
    await run(TYPEDOC, ["--out", out, "--json", path.join(out, "api.json"), "--skipErrorChecking"], { cwd: ROOT });
    api = JSON.parse(fs.readFileSync(path.join(out, "api.json"), "utf8"));
  });
  after(() => fs.rmSync(out, { recursive: true, force: true }));

  it("documents tracks.upload with its params, returns, AsixError codes and an example", () => {
    const [asix] = findAll(api, (r) => r.name === "Asix" && r.kind === 256);
    const tracks = asix.children!.find((c) => c.name === "tracks")!;
    expect(text(tracks.comment?.summary)).to.not.equal("");
    const [tracksApi] = findAll(api, (r) => r.id === tracks.type!.target);
    const upload = tracksApi.children!.find((c) => c.name === "upload")!;
    const signature = upload.signatures![0];
    expect(text(signature.comment!.summary)).to.match(/^Publish a track/);
    expect(signature.parameters!.map((p) => p.name)).to.deep.equal(["file", "metadata", "options"]);
    for (const p of signature.parameters!) expect(text(p.comment?.summary), `@param ${p.name}`).to.not.equal("");
    const tags = signature.comment!.blockTags!;
    expect(text(tags.find((t) => t.tag === "@returns")?.content)).to.contain("hashid");
    const throws = tags.filter((t) => t.tag === "@throws").map((t) => text(t.content));
    expect(throws.map((t) => t.split(" ")[0])).to.include.members(["INVALID_INPUT", "UPLOAD_FAILED", "NODE_UNAVAILABLE"]);
    expect(text(tags.find((t) => t.tag === "@example")?.content)).to.contain("asix.tracks.upload(");
  });

  it("renders the upload method's errors and example on the TracksApi page", () => {
    const page = fs.readFileSync(path.join(out, "interfaces", "sdk.TracksApi.html"), "utf8");
    expect(page).to.contain("Publish a track");
    expect(page).to.contain("Throws");
    expect(page).to.contain("UNSUPPORTED_MEDIA");
    expect(page).to.contain("Example");
  });

  it("covers the devnet package and every SDK entry point", () => {
    const modules = (api.children ?? []).map((m) => m.name);
    expect(modules).to.include.members(["sdk", "devnet", "sdk/staking", "sdk/governance", "sdk/errors"]);
    const [startDevnet] = findAll(api, (r) => r.name === "startDevnet");
    expect(text(startDevnet.signatures![0].comment?.summary)).to.contain("Start the whole protocol");
  });
});

describe("the reference's configuration (typedoc.json)", function () {
  this.timeout(120_000);
  const config = JSON.parse(fs.readFileSync(path.join(ROOT, "typedoc.json"), "utf8"));

  it("has one entry point per SDK export (sdk/package.json) plus the devnet's index", () => {
    const exportsMap = JSON.parse(fs.readFileSync(path.join(ROOT, "sdk/package.json"), "utf8")).exports as Record<string, unknown>;
    const sdkSources = Object.keys(exportsMap)
      .filter((k) => k !== "./package.json")
      .map((subpath) => {
        const rel = subpath === "." ? "index" : subpath.slice(2);
        return fs.existsSync(path.join(ROOT, "sdk", `${rel}.ts`)) ? `sdk/${rel}.ts` : `sdk/${rel}/index.ts`;
      });
    expect([...config.entryPoints].sort()).to.deep.equal([...sdkSources, "devnet/index.ts"].sort());
  });

  it("fails the build when an exported function has no documentation", async () => {
    // A tiny package named like ours, built with the repository's options (its own entry point and tsconfig).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-undocumented-"));
    try {
      fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "@asix/sdk", version: "0.0.0" }));
      fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, target: "ES2022", module: "commonjs", types: [] }, files: ["index.ts"] }));
      fs.writeFileSync(path.join(dir, "index.ts"), "/** Documented. */\nexport function documented(): number {\n  return 1;\n}\n\nexport function forgotten(): number {\n  return 2;\n}\n");
      const { intentionallyNotExported: _contractTypes, ...options } = config;
      fs.writeFileSync(path.join(dir, "typedoc.json"), JSON.stringify({ ...options, entryPoints: ["index.ts"], tsconfig: "tsconfig.json", out: "out", json: "out/api.json" }));
      const failure = await run(TYPEDOC, [], { cwd: dir }).then(
        () => undefined,
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
      expect(failure, "typedoc should have failed").to.not.equal(undefined);
      expect(failure!.code).to.not.equal(0);
      const output = failure!.stdout + failure!.stderr;
      expect(output).to.match(/forgotten .*does not have any documentation/);
      expect(output).to.not.match(/\bdocumented .*does not have any documentation/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
