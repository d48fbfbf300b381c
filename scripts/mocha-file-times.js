// A mocha reporter: the spec reporter's output, then how long each test file took, slowest first.
// `--reporter-option out=path.json` also writes the figures (file → ms) there. In a serial run a
// file's time is the wall time from its first top-level suite starting to its last one ending
// (hooks included). In a parallel run mocha replays a file's events only once its worker is done,
// so there the figure is the sum of its tests' and hooks' durations, which leaves out only the
// time between them.
// Used to keep the slow files first in .mocharc.suite.js's spec list (mocha hands files to its
// parallel workers in that order) and to see where the suite's time goes.
const fs = require("node:fs");
const path = require("node:path");
const Mocha = require("mocha");

const { EVENT_SUITE_BEGIN, EVENT_SUITE_END, EVENT_TEST_END, EVENT_HOOK_END, EVENT_RUN_END } = Mocha.Runner.constants;

class FileTimes extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const out = options.reporterOption && options.reporterOption.out;
    const parallel = Boolean(options.parallel);
    /** file → { start, end, tests } */
    const files = new Map();
    const entry = (file) => {
      if (!files.has(file)) files.set(file, { start: Date.now(), end: Date.now(), tests: 0 });
      return files.get(file);
    };
    const fileOf = (runnable) => {
      for (let s = runnable; s; s = s.parent) if (s.file) return s.file;
      return undefined;
    };
    runner.on(EVENT_SUITE_BEGIN, (suite) => {
      if (suite.file && !suite.root) entry(suite.file);
    });
    runner.on(EVENT_SUITE_END, (suite) => {
      if (suite.file && !suite.root) entry(suite.file).end = Date.now();
    });
    const add = (runnable) => {
      const file = fileOf(runnable);
      if (file) entry(file).tests += runnable.duration || 0;
    };
    runner.on(EVENT_TEST_END, add);
    runner.on(EVENT_HOOK_END, add);
    const table = () => {
      const rows = [...files].map(([file, t]) => [path.relative(process.cwd(), file).split(path.sep).join("/"), parallel ? t.tests : t.end - t.start]);
      return rows.sort((a, b) => b[1] - a[1]);
    };
    const save = (rows) => out && fs.writeFileSync(out, JSON.stringify(Object.fromEntries(rows), null, 2) + "\n");
    // written as each file ends too, so a run stopped part way still leaves its figures
    runner.on(EVENT_SUITE_END, (suite) => {
      if (suite.file && !suite.root && suite.parent && suite.parent.root) save(table());
    });
    runner.once(EVENT_RUN_END, () => {
      const rows = table();
      const total = rows.reduce((s, [, ms]) => s + ms, 0);
      console.log(`\n  time per file (${parallel ? "tests and hooks, parallel run" : "wall time, hooks included"}), total ${(total / 1000).toFixed(1)} s:`);
      for (const [file, ms] of rows) console.log(`  ${(ms / 1000).toFixed(1).padStart(7)} s  ${file}`);
      save(rows);
    });
  }
}

module.exports = FileTimes;
