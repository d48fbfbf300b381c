import { createHash } from "node:crypto";
import { COVERAGE_LIBRARY_FILE } from "./library";

/** A statement EDR instruments, by its tag and the line of the original source it starts on. */
export interface StatementProbe {
  tag: string;
  line: number;
}

/** A decision point: a condition whose two outcomes each send their own tag. */
export interface BranchProbe {
  kind: "if" | "ternary" | "require" | "loop";
  line: number;
  whenTrue: string;
  whenFalse: string;
}

export interface InstrumentedSource {
  source: string;
  statements: StatementProbe[];
  branches: BranchProbe[];
}

interface AstNode {
  nodeType?: string;
  src?: string;
  [key: string]: unknown;
}

interface Insertion {
  at: number;
  text: string;
  /** ranges that open at the same place nest outer first; ranges that close there, inner first */
  order: number;
}

/** solc parses (no import resolution, no analysis): all we need is where the conditions are. */
export function parseSolidity(file: string, source: string): AstNode {
  const solc = require("solc");
  const input = {
    language: "Solidity",
    sources: { [file]: { content: source } },
    settings: { stopAfter: "parsing", outputSelection: { "*": { "": ["ast"] } } },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input)));
  const errors = (output.errors ?? []).filter((e: { severity: string }) => e.severity === "error");
  if (errors.length > 0) throw new Error(`${file}: ${errors.map((e: { formattedMessage: string }) => e.formattedMessage).join("\n")}`);
  return output.sources[file].ast as AstNode;
}

/** The string index of a byte offset (solc's `src` counts UTF-8 bytes; EDR and we count UTF-16 units). */
function byteToIndex(bytes: Buffer, offset: number): number {
  return bytes.subarray(0, offset).toString("utf8").length;
}

function conditionsOf(ast: AstNode): { kind: BranchProbe["kind"]; src: string }[] {
  const found: { kind: BranchProbe["kind"]; src: string }[] = [];
  const visit = (node: unknown, inCallable: boolean): void => {
    if (Array.isArray(node)) return node.forEach((n) => visit(n, inCallable));
    if (!node || typeof node !== "object") return;
    const n = node as AstNode;
    const callable = inCallable || n.nodeType === "FunctionDefinition" || n.nodeType === "ModifierDefinition";
    // Outside function and modifier bodies (constant initialisers) a call would not compile.
    if (callable) {
      const condition = (n.condition ?? undefined) as AstNode | undefined;
      if (n.nodeType === "IfStatement" && condition) found.push({ kind: "if", src: condition.src! });
      if (n.nodeType === "Conditional" && condition) found.push({ kind: "ternary", src: condition.src! });
      if ((n.nodeType === "WhileStatement" || n.nodeType === "DoWhileStatement" || n.nodeType === "ForStatement") && condition) {
        found.push({ kind: "loop", src: condition.src! });
      }
      const callee = n.expression as AstNode | undefined;
      if (n.nodeType === "FunctionCall" && callee?.nodeType === "Identifier" && callee.name === "require") {
        found.push({ kind: "require", src: (n.arguments as AstNode[])[0].src! });
      }
    }
    for (const value of Object.values(n)) if (value && typeof value === "object") visit(value, callable);
  };
  visit(ast, false);
  return found;
}

function tagFor(file: string, what: string): string {
  return "0x" + createHash("sha256").update(`asix-coverage:${file}:${what}`).digest("hex");
}

function lineAt(source: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (source.charCodeAt(i) === 10) line++;
  return line;
}

/** EDR's statement ranges include leading whitespace and comments: a statement's line is its code's. */
function skipTrivia(source: string, index: number): number {
  for (;;) {
    while (index < source.length && /\s/.test(source[index])) index++;
    if (source.startsWith("//", index)) index = source.indexOf("\n", index) === -1 ? source.length : source.indexOf("\n", index);
    else if (source.startsWith("/*", index)) index = source.indexOf("*/", index) + 2;
    else return index;
  }
}

/**
 * Wrap every condition in `__HardhatCoverage.branch(cond, tagTrue, tagFalse)`, then let EDR add a
 * hit before every statement. The wrapping adds no line breaks, so lines of the instrumented
 * source are lines of the original.
 */
export function instrument(file: string, original: string, libraryImport: string): InstrumentedSource {
  const bytes = Buffer.from(original, "utf8");
  const insertions: Insertion[] = [];
  const branches: BranchProbe[] = [];
  conditionsOf(parseSolidity(file, original)).forEach((c, i) => {
    const [offset, length] = c.src.split(":").map(Number);
    const start = byteToIndex(bytes, offset);
    const end = byteToIndex(bytes, offset + length);
    const probe: BranchProbe = { kind: c.kind, line: lineAt(original, start), whenTrue: tagFor(file, `${i}:true`), whenFalse: tagFor(file, `${i}:false`) };
    branches.push(probe);
    insertions.push({ at: start, text: "__HardhatCoverage.branch(", order: -(end - start) });
    insertions.push({ at: end, text: `, ${probe.whenTrue}, ${probe.whenFalse})`, order: -1e9 + (end - start) });
  });
  insertions.sort((a, b) => a.at - b.at || a.order - b.order);
  let wrapped = "";
  let from = 0;
  for (const ins of insertions) {
    wrapped += original.slice(from, ins.at) + ins.text;
    from = ins.at;
  }
  wrapped += original.slice(from);

  const { addStatementCoverageInstrumentation } = require("@nomicfoundation/edr");
  const result = addStatementCoverageInstrumentation(wrapped, file, "0.8.28", libraryImport);
  const statements: StatementProbe[] = result.metadata.map((m: { tag: Uint8Array; startUtf16: number; endUtf16: number }) => {
    return { tag: "0x" + Buffer.from(m.tag).toString("hex"), line: lineAt(wrapped, skipTrivia(wrapped, m.startUtf16)) };
  });
  // A file that needs no probes does not need the import either (an interface-only file).
  const source = statements.length + branches.length > 0 || !result.source.includes(COVERAGE_LIBRARY_FILE) ? result.source : wrapped;
  return { source, statements, branches };
}
