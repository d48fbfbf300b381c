import { expect } from "chai";
import path from "node:path";
import ts from "typescript";

const ROOT = path.resolve(__dirname, "../..");
const PROBE = path.join(ROOT, "test/docs/__probe__.ts");

const OPTIONS: ts.CompilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  skipLibCheck: true,
  types: ["node"],
  noEmit: true,
};

/** A program with one in-memory file of an app, as an editor builds for the file being edited. */
function programWith(source: string): ts.Program {
  const host = ts.createCompilerHost(OPTIONS);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (f) => (path.resolve(f) === PROBE ? source : readFile(f));
  host.fileExists = (f) => path.resolve(f) === PROBE || fileExists(f);
  host.getSourceFile = (f, lang, ...rest) => (path.resolve(f) === PROBE ? ts.createSourceFile(f, source, lang, true) : getSourceFile(f, lang, ...rest));
  return ts.createProgram([PROBE], OPTIONS, host);
}

/**
 * What an editor shows: the type of `createAsix(...)` as the TypeScript compiler sees it from an
 * app's file, and the documentation of its members (getDocumentationComment, getJsDocTags).
 */
function clientType() {
  const program = programWith(`import { createAsix } from "../../sdk";\nexport const asix = createAsix({ network: {} as never });\n`);
  const checker = program.getTypeChecker();
  const statement = program.getSourceFile(PROBE)!.statements.find(ts.isVariableStatement)!;
  return { checker, type: checker.getTypeAtLocation(statement.declarationList.declarations[0].name) };
}

const docOf = (checker: ts.TypeChecker, symbol: ts.Symbol) => ts.displayPartsToString(symbol.getDocumentationComment(checker));

describe("the client's type in an editor", function () {
  this.timeout(120_000);
  const { checker, type } = clientType();

  it("carries the JSDoc of tracks.upload on the type createAsix returns", () => {
    expect(checker.typeToString(type)).to.equal("Asix");
    const tracks = type.getProperty("tracks")!;
    const upload = checker.getTypeOfSymbol(tracks).getProperty("upload")!;
    expect(docOf(checker, upload)).to.match(/^Publish a track/);
    const tags = upload.getJsDocTags(checker).map((t) => `${t.name} ${ts.displayPartsToString(t.text)}`);
    expect(tags.filter((t) => t.startsWith("param ")).map((t) => t.split(" ")[1])).to.deep.equal(["file", "metadata", "options"]);
    expect(tags.some((t) => t.startsWith("returns "))).to.equal(true);
    expect(tags.filter((t) => t.startsWith("throws ")).join("\n")).to.contain("{AsixError} UPLOAD_FAILED");
    expect(tags.find((t) => t.startsWith("example "))).to.contain("asix.tracks.upload(");
  });

  it("documents every method of every namespace: a sentence, each @param, @returns, @example", () => {
    const missing: string[] = [];
    const methods: string[] = [];
    const check = (name: string, symbol: ts.Symbol) => {
      const signature = checker.getTypeOfSymbol(symbol).getCallSignatures()[0];
      if (!signature) return;
      methods.push(name);
      const tags = symbol.getJsDocTags(checker);
      if (docOf(checker, symbol).trim() === "") missing.push(`${name}: description`);
      for (const p of signature.getParameters()) {
        if (!tags.some((t) => t.name === "param" && ts.displayPartsToString(t.text).startsWith(p.name))) missing.push(`${name}: @param ${p.name}`);
      }
      for (const tag of ["returns", "example"]) if (!tags.some((t) => t.name === tag)) missing.push(`${name}: @${tag}`);
      // Every method that can fail names its codes; only the wallet getter cannot.
      if (name !== "auth.getWallet" && !tags.some((t) => t.name === "throws" && ts.displayPartsToString(t.text).startsWith("{AsixError} "))) missing.push(`${name}: @throws`);
    };
    for (const member of type.getProperties()) {
      if (docOf(checker, member).trim() === "") missing.push(`${member.name}: description`);
      const memberType = checker.getTypeOfSymbol(member);
      if (memberType.getCallSignatures().length > 0) check(member.name, member);
      else if (member.name !== "client") for (const method of memberType.getProperties()) check(`${member.name}.${method.name}`, method);
    }
    expect(missing).to.deep.equal([]);
    expect(methods.length).to.be.greaterThan(80);
  });

  it("type-checks every method's @example against the SDK", () => {
    const examples: string[] = [];
    const collect = (name: string, symbol: ts.Symbol) => {
      for (const tag of symbol.getJsDocTags(checker)) {
        if (tag.name !== "example") continue;
        const code = ts.displayPartsToString(tag.text).replace(/^```ts\n/, "").replace(/```\s*$/, "");
        examples.push(`// ${name}\nexport async function example${examples.length}() {\n${code}\n}`);
      }
    };
    for (const member of type.getProperties()) {
      const memberType = checker.getTypeOfSymbol(member);
      if (memberType.getCallSignatures().length > 0) collect(member.name, member);
      else if (member.name !== "client") for (const method of memberType.getProperties()) collect(`${member.name}.${method.name}`, method);
    }
    // What the examples take as given: the values an app would have at hand.
    const prelude = [
      `import { createAsix, formatAudio, parseAudio, type Asix, type NetworkConfig, type User } from "../../sdk";`,
      "declare const asix: Asix, network: NetworkConfig, artist: User, player: { write(chunk: Uint8Array): void }, audio: { src: string };",
      "declare const userId: string, trackId: string, playlistId: string, a: string, b: string, c: string, d: string;",
      "declare const operator: string, friend: string, proposalId: number;",
      "void createAsix;",
    ];
    const source = [...prelude, ...examples].join("\n");
    const program = programWith(source);
    const problems = ts
      .getPreEmitDiagnostics(program, program.getSourceFile(PROBE))
      .map((d) => `${source.split("\n")[d.file!.getLineAndCharacterOfPosition(d.start!).line]}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`);
    expect(problems).to.deep.equal([]);
    expect(examples.length).to.be.greaterThan(80);
  });
});

