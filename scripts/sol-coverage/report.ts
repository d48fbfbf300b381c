import type { BranchProbe, StatementProbe } from "./instrument";

export interface FileProbes {
  file: string;
  statements: StatementProbe[];
  branches: BranchProbe[];
}

interface Ratio {
  covered: number;
  total: number;
  pct: number;
}

export interface FileCoverage {
  file: string;
  lines: Ratio;
  statements: Ratio;
  branches: Ratio;
  uncoveredLines: number[];
  /** "line:kind:true|false" for each outcome never taken */
  uncoveredBranches: string[];
}

export interface CoverageSummary {
  branchesCountedAs: string;
  files: FileCoverage[];
  total: { lines: Ratio; statements: Ratio; branches: Ratio };
}

export const BRANCH_DEFINITION =
  "every condition of an if/else if, ternary, require and loop has two branches, true and false; " +
  "each is covered when that outcome was evaluated at least once (reverted calls and eth_calls count). " +
  "A line is covered when every statement starting on it ran (stricter than istanbul, for which one is enough: " +
  "`if (c) revert E();` with c never true is an uncovered line here).";

const ratio = (covered: number, total: number): Ratio => ({ covered, total, pct: total === 0 ? 100 : Math.round((covered / total) * 10000) / 100 });

export function summarize(probes: FileProbes[], hits: Set<string>): CoverageSummary {
  const files = probes.map((p): FileCoverage => {
    const lineHit = new Map<number, boolean>();
    for (const s of p.statements) lineHit.set(s.line, (lineHit.get(s.line) ?? true) && hits.has(s.tag));
    const uncoveredLines = [...lineHit].filter(([, hit]) => !hit).map(([line]) => line).sort((a, b) => a - b);
    const uncoveredBranches: string[] = [];
    for (const b of p.branches) {
      if (!hits.has(b.whenTrue)) uncoveredBranches.push(`${b.line}:${b.kind}:true`);
      if (!hits.has(b.whenFalse)) uncoveredBranches.push(`${b.line}:${b.kind}:false`);
    }
    return {
      file: p.file,
      lines: ratio(lineHit.size - uncoveredLines.length, lineHit.size),
      statements: ratio(p.statements.filter((s) => hits.has(s.tag)).length, p.statements.length),
      branches: ratio(p.branches.length * 2 - uncoveredBranches.length, p.branches.length * 2),
      uncoveredLines,
      uncoveredBranches,
    };
  });
  const sum = (pick: (f: FileCoverage) => Ratio) =>
    ratio(files.reduce((n, f) => n + pick(f).covered, 0), files.reduce((n, f) => n + pick(f).total, 0));
  return { branchesCountedAs: BRANCH_DEFINITION, files, total: { lines: sum((f) => f.lines), statements: sum((f) => f.statements), branches: sum((f) => f.branches) } };
}

export function formatSummary(summary: CoverageSummary): string {
  const cell = (r: Ratio) => `${r.pct.toFixed(2).padStart(7)} % ${`(${r.covered}/${r.total})`.padEnd(11)}`;
  const width = Math.max(...summary.files.map((f) => f.file.length), 5);
  const rows = [`${"file".padEnd(width)}  ${"lines".padEnd(21)}  ${"statements".padEnd(21)}  ${"branches".padEnd(21)}  uncovered lines | branches (line:kind:outcome)`];
  for (const f of summary.files) {
    if (f.statements.total + f.branches.total === 0) continue;
    const missing = [f.uncoveredLines.join(","), f.uncoveredBranches.join(",")].filter(Boolean).join(" | ");
    rows.push(`${f.file.padEnd(width)}  ${cell(f.lines)}  ${cell(f.statements)}  ${cell(f.branches)}  ${missing}`);
  }
  const t = summary.total;
  rows.push(`${"total".padEnd(width)}  ${cell(t.lines)}  ${cell(t.statements)}  ${cell(t.branches)}`);
  rows.push("", `Branches: ${summary.branchesCountedAs}`);
  return rows.join("\n");
}
