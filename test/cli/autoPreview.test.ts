import { expect } from "chai";
import { loudestWindowStart } from "../../cli/autoPreview";

/** A waveform of `seconds` at 10 pixels a second, quiet except for `loud` [start, end) seconds. */
function waveform(seconds: number, ...loud: [number, number, number][]) {
  const length = seconds * 10;
  const data: number[] = [];
  for (let i = 0; i < length; i++) {
    const t = i / 10;
    const peak = loud.find(([start, end]) => t >= start && t < end)?.[2] ?? 3;
    data.push(-peak, peak);
  }
  return { sampleRate: 1000, samplesPerPixel: 100, length, data };
}

describe("upload --auto-preview: the loudest 30 s of a waveform", () => {
  it("starts the preview where the loud section starts", () => {
    expect(loudestWindowStart(waveform(120, [47, 80, 120]))).to.equal(47);
  });

  it("prefers the window with the most energy over a shorter, louder burst", () => {
    // 2 s at 127 (energy 2 × 127²) loses to 30 s at 60 (energy 30 × 60²)
    expect(loudestWindowStart(waveform(200, [10, 12, 127], [150, 180, 60]))).to.equal(150);
  });

  it("starts at 0 for a track no longer than the preview", () => {
    expect(loudestWindowStart(waveform(30, [20, 25, 100]))).to.equal(0);
    expect(loudestWindowStart(waveform(12, [5, 6, 100]))).to.equal(0);
  });
});
