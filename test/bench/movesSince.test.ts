import { expect } from "chai";
import { movesSince } from "../../bench/util";

describe("bench results: what moved since the last run", function () {
  const was = { min: 0.8, median: 0.9, max: 1.0 };

  it("flags a median above the previous run's max as ▲ and below its min as ▼, at any depth", () => {
    const previous = { stream: { c64: was, c1: was }, upload: was, note: "text" };
    const now = { stream: { c64: { min: 1.0, median: 1.1, max: 1.2 }, c1: { min: 0.6, median: 0.7, max: 0.9 } }, upload: was, note: "other" };
    expect(movesSince(previous, now)).to.deep.equal({ "stream.c64": "▲ 0.9 (0.8–1) → 1.1", "stream.c1": "▼ 0.9 (0.8–1) → 0.7" });
  });

  it("says nothing of a median within the previous spread, or of a figure the previous run lacked", () => {
    expect(movesSince({ a: was }, { a: { min: 0.5, median: 0.95, max: 2 }, b: { min: 9, median: 9, max: 9 } })).to.deep.equal({});
  });
});
