import { expect } from "chai";
import fs from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";
import ts from "typescript";

/**
 * The import direction between the workspace packages: sdk ← devnet ← cli, one way. The SDK is
 * installed alone by apps, so it must not reach into the devnet or the CLI; the devnet must not
 * reach into the CLI; and the services take protocol facts (ABIs, typed data, records) from the SDK
 * rather than from typechain-types/ directly. Every bare import must be a dependency of the
 * importing package, or it would fail for whoever installs that package from the registry.
 */

const ROOT = path.resolve(__dirname, "../..");

/**
 * Service files that import typechain-types/ directly: none. Protocol facts (ABIs, typed data, the
 * eth contract list) come from the SDK's protocol module.
 */
const SERVICES_READING_TYPECHAIN: string[] = [];

/** What the CLI build maps to @asix/devnet (tsup.config.ts): the devnet's index re-exports these. */
const CLI_DEVNET_MODULES = ["devnet/index.ts", "devnet/state.ts", "devnet/accounts.ts"];

type Area = "sdk" | "devnet" | "services" | "cli" | "typechain-types" | "other";

interface Edge {
  from: string;
  specifier: string;
  /** repository-relative file the import lands on, for relative imports */
  target?: string;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== "dist" && e.name !== "node_modules") walk(p);
      } else if (p.endsWith(".ts") && !p.endsWith(".d.ts")) out.push(p);
    }
  };
  walk(path.join(ROOT, dir));
  return out;
}

function resolveRelative(fromFile: string, specifier: string): string {
  const base = path.resolve(path.dirname(fromFile), specifier);
  // "./index.js" names index.ts (the dynamic imports that nodenext wants written with an extension)
  const stem = base.replace(/\.js$/, "");
  for (const candidate of [base, `${base}.ts`, path.join(base, "index.ts"), `${stem}.ts`]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return path.relative(ROOT, candidate);
  }
  throw new Error(`${path.relative(ROOT, fromFile)}: cannot resolve ${specifier}`);
}

function edgesOf(file: string): Edge[] {
  const info = ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true);
  return info.importedFiles.map(({ fileName }) => ({
    from: path.relative(ROOT, file),
    specifier: fileName,
    target: fileName.startsWith(".") ? resolveRelative(file, fileName) : undefined,
  }));
}

function areaOf(file: string): Area {
  if (file.startsWith("sdk/")) return "sdk";
  if (file.startsWith("devnet/services/")) return "services";
  if (file.startsWith("devnet/")) return "devnet";
  if (file.startsWith("cli/")) return "cli";
  if (file.startsWith("typechain-types/")) return "typechain-types";
  return "other";
}

function dependenciesOf(dir: string): Set<string> {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, dir, "package.json"), "utf8"));
  return new Set(Object.keys(pkg.dependencies ?? {}));
}

function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

const BUILTINS = new Set(builtinModules);
const isBuiltin = (s: string) => s.startsWith("node:") || BUILTINS.has(packageName(s));

const allEdges = ["sdk", "devnet", "cli"].flatMap((d) => sourceFiles(d).flatMap(edgesOf));
const relative = (area: Area) => allEdges.filter((e) => e.target && areaOf(e.from) === area);
const show = (edges: Edge[]) => edges.map((e) => `${e.from} → ${e.specifier}`);

describe("packaging: import direction between sdk, devnet and cli", () => {
  it("finds the imports it checks", () => {
    expect(allEdges.length).to.be.greaterThan(300);
    expect(relative("sdk").length).to.be.greaterThan(50);
  });

  it("keeps the SDK to its own files and the contract bindings it ships", () => {
    const bad = relative("sdk").filter((e) => !["sdk", "typechain-types"].includes(areaOf(e.target!)));
    expect(show(bad)).to.deep.equal([]);
  });

  it("keeps the devnet and its services out of the CLI", () => {
    const bad = allEdges.filter((e) => e.target && ["devnet", "services"].includes(areaOf(e.from)) && !["sdk", "devnet", "services", "typechain-types"].includes(areaOf(e.target)));
    expect(show(bad)).to.deep.equal([]);
  });

  it("has the services take protocol facts from the SDK, not typechain-types, except the listed files", () => {
    const reading = [...new Set(relative("services").filter((e) => areaOf(e.target!) === "typechain-types").map((e) => e.from))].sort();
    expect(reading, "a service newly imports typechain-types/ (import it through the SDK), or a listed file no longer does (remove it from the list)").to.deep.equal(SERVICES_READING_TYPECHAIN);
  });

  it("has the CLI reach the devnet only through what @asix/devnet exports", () => {
    const bad = relative("cli").filter((e) => ["devnet", "services"].includes(areaOf(e.target!)) && !CLI_DEVNET_MODULES.includes(e.target!));
    expect(show(bad)).to.deep.equal([]);
    expect(show(relative("cli").filter((e) => areaOf(e.target!) === "typechain-types"))).to.deep.equal([]);
  });

  it("has the devnet and CLI import only SDK modules that @asix/sdk exports", () => {
    const sdk = JSON.parse(fs.readFileSync(path.join(ROOT, "sdk/package.json"), "utf8"));
    const exported = new Set(
      Object.keys(sdk.exports)
        .filter((k) => k !== "./package.json")
        .flatMap((k) => {
          const rel = k === "." ? "index" : k.slice(2);
          return [`sdk/${rel}.ts`, `sdk/${rel}/index.ts`];
        }),
    );
    const bad = allEdges.filter((e) => e.target && areaOf(e.from) !== "sdk" && areaOf(e.target) === "sdk" && !exported.has(e.target));
    expect(show(bad), "add the subpath to sdk/package.json exports, or import it from one that is").to.deep.equal([]);
  });

  it("has every bare import declared as a dependency of the importing package", () => {
    const deps = { sdk: dependenciesOf("sdk"), devnet: dependenciesOf("devnet"), services: dependenciesOf("devnet"), cli: dependenciesOf("cli") };
    // Build tools that run only where the sources are (a clone, with the workspace's devDependencies):
    // the published devnet serves the explorer page prebuilt in dist/ and never loads esbuild.
    const fromSourceOnly = new Set(["devnet/explorer/build.ts → esbuild"]);
    const bad = allEdges.filter((e) => {
      if (e.target || isBuiltin(e.specifier)) return false;
      if (fromSourceOnly.has(`${e.from} → ${packageName(e.specifier)}`)) return false;
      const area = areaOf(e.from) as keyof typeof deps;
      return !deps[area].has(packageName(e.specifier));
    });
    expect(show(bad)).to.deep.equal([]);
  });

  it("keeps main and types out of the SDK and devnet package.json, so the sources' directory imports land on index.ts", () => {
    for (const dir of ["sdk", "devnet"]) {
      const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, dir, "package.json"), "utf8"));
      expect(pkg, dir).to.not.have.any.keys("main", "types", "typings", "module");
    }
  });
});
