// The whole suite as `npm test` runs it: .mocharc.json (what `npx mocha <file>` uses) plus
//  - two worker processes: most of a test's time is waiting on chains, ffmpeg and HTTP, so one
//    process keeps about one core busy;
//  - the files in a fixed order, slowest first (scripts/test-file-times.json, written
//    by `npm run test:times`): mocha hands files to free workers in the order given, so a
//    slow file started last would leave one worker running alone at the end. Files not measured
//    yet go first, as they might be slow;
//  - no `.only`: mocha's parallel mode fails a file that has one ("not supported in parallel
//    mode"), and forbid-only says so up front; run the file alone (`npx mocha <file>`) to use it.
const fs = require("node:fs");
const path = require("node:path");
const base = require("./.mocharc.json");

const ROOT = __dirname;
const TIMES = path.join(ROOT, "scripts", "test-file-times.json");

function testFiles(dir) {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? testFiles(path.join(dir, e.name)) : e.name.endsWith(".test.ts") ? [path.join(dir, e.name)] : []));
}

const times = JSON.parse(fs.readFileSync(TIMES, "utf8"));
const files = testFiles(path.join(ROOT, "test"))
  .map((f) => path.relative(ROOT, f).split(path.sep).join("/"))
  .sort();
const unmeasured = files.filter((f) => !(f in times));
const measured = files.filter((f) => f in times).sort((a, b) => times[b] - times[a]);

module.exports = {
  ...base,
  parallel: true,
  jobs: 2,
  "forbid-only": true,
  reporter: path.join(ROOT, "scripts", "mocha-file-times.js"),
  spec: [...unmeasured, ...measured],
};
