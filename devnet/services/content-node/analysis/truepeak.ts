/**
 * True peak per ITU-R BS.1770-4 Annex 2, streamed over full-rate PCM (a float WAV on a pipe).
 *
 * ffmpeg's `ebur128=peak=true` oversamples the whole stream 4× with a generic resampler, which was
 * over a third of the analysis's CPU. Here the Annex's own 48-tap, 4-phase interpolation filter runs
 * only where it can matter: an interpolated value is a sum of 12 taps times 12 samples, so it is at
 * most (max |x| over those samples) × (the phase's L1 norm). A block whose bound cannot beat the
 * maximum found so far is skipped, which keeps the result exact while most of the audio is never
 * filtered.
 */

/** BS.1770-4 Annex 2, Table 1: the 4× interpolation filter's 4 phases of 12 taps. */
const PHASES: readonly (readonly number[])[] = [
  [0.001708984375, 0.010986328125, -0.0196533203125, 0.033203125, -0.0594482421875, 0.1373291015625, 0.97216796875, -0.102294921875, 0.047607421875, -0.026611328125, 0.014892578125, -0.00830078125],
  [-0.0291748046875, 0.029296875, -0.0517578125, 0.089111328125, -0.16650390625, 0.465087890625, 0.77978515625, -0.2003173828125, 0.1015625, -0.0582275390625, 0.0330810546875, -0.0189208984375],
  [-0.0189208984375, 0.0330810546875, -0.0582275390625, 0.1015625, -0.2003173828125, 0.77978515625, 0.465087890625, -0.16650390625, 0.089111328125, -0.0517578125, 0.029296875, -0.0291748046875],
  [-0.00830078125, 0.014892578125, -0.026611328125, 0.047607421875, -0.102294921875, 0.1373291015625, 0.97216796875, -0.0594482421875, 0.033203125, -0.0196533203125, 0.010986328125, 0.001708984375],
];
const TAPS = 12;
const HISTORY = TAPS - 1;
/** the largest L1 norm of a phase: the gain bound of the interpolation */
const GAIN_BOUND = Math.max(...PHASES.map((p) => p.reduce((s, c) => s + Math.abs(c), 0)));
/**
 * A second bound for smooth stretches: with c a phase's largest tap, y = S·x[c] + Σ h[k]·(x[k] − x[c])
 * and |x[k] − x[c]| ≤ |k − c|·D (D: the largest step between neighbouring samples), so
 * |y| ≤ |S|·max|x| + W·D with S the phase's sum and W = Σ |h[k]|·|k − c|. Music at 48 kHz moves
 * little from sample to sample, so this is far below the L1 bound except around clicks.
 */
const centre = (p: readonly number[]) => p.reduce((best, c, k) => (Math.abs(c) > Math.abs(p[best]) ? k : best), 0);
const SUM_BOUND = Math.max(...PHASES.map((p) => Math.abs(p.reduce((s, c) => s + c, 0))));
const STEP_BOUND = Math.max(...PHASES.map((p) => p.reduce((s, c, k) => s + Math.abs(c) * Math.abs(k - centre(p)), 0)));
/** output positions per pruning decision: small enough to skip quiet stretches, large enough to be cheap */
const SEGMENT = 64;

/**
 * Streams interleaved float frames and keeps the running true peak (linear, all channels). Chunks
 * are scanned where they lie: only the first HISTORY output positions of a chunk, whose taps reach
 * back into the previous chunk, go through a small seam buffer, so a long stream costs no copies
 * and no allocations beyond that.
 */
export class TruePeakMeter {
  private peak = 0;
  /** the last HISTORY frames pushed (interleaved); zeros before the stream starts */
  private readonly tail: Float32Array;
  /** the tail followed by the head of the next chunk */
  private readonly seam: Float32Array;

  constructor(private readonly channels: number) {
    if (!Number.isInteger(channels) || channels < 1) throw new Error(`bad channel count ${channels}`);
    this.tail = new Float32Array(HISTORY * channels);
    this.seam = new Float32Array(2 * HISTORY * channels);
  }

  /** Feeds whole interleaved frames (a trailing partial frame is ignored); `frames` is not kept. */
  push(frames: Float32Array): void {
    const ch = this.channels;
    const n = Math.floor(frames.length / ch);
    if (n === 0) return;
    const head = Math.min(n, HISTORY);
    const { seam, tail } = this;
    seam.set(tail, 0);
    seam.set(frames.subarray(0, head * ch), HISTORY * ch);
    for (let c = 0; c < ch; c++) this.peak = scan(seam, c, ch, HISTORY, HISTORY + head, this.peak);
    if (n > HISTORY) for (let c = 0; c < ch; c++) this.peak = scan(frames, c, ch, HISTORY, n, this.peak);
    if (n >= HISTORY) tail.set(frames.subarray((n - HISTORY) * ch, n * ch));
    else tail.set(seam.subarray(n * ch, (HISTORY + n) * ch));
  }

  /** The true peak so far, linear (1 = 0 dBTP); call after the stream ended. */
  finish(): number {
    // the filter's tail: the last samples still contribute to interpolated values after them
    this.push(new Float32Array(HISTORY * this.channels));
    return this.peak;
  }
}

/** per-segment max |x| and max step, per scan (grown as needed; scans never overlap) */
let segMax = new Float64Array(256);
let segStep = new Float64Array(256);

/**
 * Output positions [from, to) of one channel (every `stride`-th sample from `c`) of `buf`; each
 * position i reads samples i-HISTORY..i, so `from` must be at least HISTORY.
 *
 * Two passes. The first reads every sample once, keeping the max |x| and the max step of each
 * SEGMENT-sample segment (segment -1 being the HISTORY samples before `from`), and the sample peak.
 * The taps of a position in segment b lie in segments b-1 and b, so their combined figures bound it.
 * The second pass filters only the segments whose bound beats the sample peak of the whole span,
 * not just the peak so far (in a fade-in that would let almost every segment through).
 */
function scan(buf: Float32Array, c: number, stride: number, from: number, to: number, peak: number): number {
  const segments = Math.ceil((to - from) / SEGMENT);
  if (segMax.length < segments) {
    segMax = new Float64Array(Math.max(segments, 2 * segMax.length));
    segStep = new Float64Array(segMax.length);
  }
  let prev = buf[(from - HISTORY) * stride + c];
  let preMax = 0;
  let preStep = 0;
  for (let j = (from - HISTORY) * stride + c, last = from * stride; j < last; j += stride) {
    const x = buf[j];
    preMax = Math.max(preMax, Math.abs(x));
    preStep = Math.max(preStep, Math.abs(x - prev));
    prev = x;
  }
  for (let s = 0, start = from; start < to; s++, start += SEGMENT) {
    let m = 0;
    let d = 0;
    // Math.max/abs compile branch-free: a third faster here than comparisons on music's random signs
    for (let j = start * stride + c, last = Math.min(start + SEGMENT, to) * stride; j < last; j += stride) {
      const x = buf[j];
      m = Math.max(m, Math.abs(x));
      d = Math.max(d, Math.abs(x - prev));
      prev = x;
    }
    segMax[s] = m;
    segStep[s] = d;
    peak = Math.max(peak, m); // the sample peak: true peak is never below it
  }
  const [h0, h1, h2, h3] = PHASES;
  for (let s = 0, start = from; start < to; s++, start += SEGMENT) {
    const m = Math.max(segMax[s], s > 0 ? segMax[s - 1] : preMax);
    const d = Math.max(segStep[s], s > 0 ? segStep[s - 1] : preStep);
    if (Math.min(m * GAIN_BOUND, m * SUM_BOUND + d * STEP_BOUND) <= peak) continue;
    for (let i = start, end = Math.min(start + SEGMENT, to); i < end; i++) {
      let y0 = 0, y1 = 0, y2 = 0, y3 = 0;
      for (let k = 0; k < TAPS; k++) {
        const x = buf[(i - k) * stride + c];
        y0 += h0[k] * x;
        y1 += h1[k] * x;
        y2 += h2[k] * x;
        y3 += h3[k] * x;
      }
      peak = Math.max(peak, Math.abs(y0), Math.abs(y1), Math.abs(y2), Math.abs(y3));
    }
  }
  return peak;
}

/**
 * Reads a float WAV as ffmpeg streams it to a pipe (sizes unknown, so only the header's layout is
 * used) and feeds its frames to a TruePeakMeter created once the header names the channel count.
 */
export class WavTruePeak {
  private header: Buffer | null = Buffer.alloc(0);
  private meter: TruePeakMeter | null = null;
  private frameBytes = 0;
  /** the bytes of a frame split between two chunks */
  private rest = new Uint8Array(0);
  private restLength = 0;
  /** an aligned copy of a chunk, reused (pipe chunks may start at any byte offset) */
  private scratch = new Float32Array(0);

  push(chunk: Buffer): void {
    if (this.header) {
      this.header = Buffer.concat([this.header, chunk]);
      const data = this.parseHeader(this.header);
      if (data === undefined) {
        if (this.header.length > 64 * 1024) throw new Error("no data chunk in the first 64 kB of the WAV stream");
        return;
      }
      chunk = this.header.subarray(data);
      this.header = null;
      this.rest = new Uint8Array(this.frameBytes);
    }
    const total = this.restLength + chunk.length;
    const whole = total - (total % this.frameBytes);
    const used = whole - this.restLength;
    if (whole > 0) {
      let frames: Float32Array;
      if (this.restLength === 0 && chunk.byteOffset % 4 === 0) {
        frames = new Float32Array(chunk.buffer, chunk.byteOffset, whole / 4);
      } else {
        if (this.scratch.length < whole / 4) this.scratch = new Float32Array(Math.max(whole / 4, 2 * this.scratch.length));
        const bytes = new Uint8Array(this.scratch.buffer, 0, whole);
        bytes.set(this.rest.subarray(0, this.restLength), 0);
        bytes.set(chunk.subarray(0, used), this.restLength);
        frames = this.scratch.subarray(0, whole / 4);
      }
      this.meter!.push(frames);
      this.rest.set(chunk.subarray(used), 0);
      this.restLength = chunk.length - used;
    } else {
      this.rest.set(chunk, this.restLength);
      this.restLength = total;
    }
  }

  /** The true peak (linear); throws if the stream never reached its audio data. */
  finish(): number {
    if (!this.meter) throw new Error("the full-rate WAV stream ended before its audio data");
    return this.meter.finish();
  }

  /** The offset of the audio data once the header is complete, else undefined. */
  private parseHeader(b: Buffer): number | undefined {
    if (b.length < 12) return undefined;
    if (b.toString("latin1", 0, 4) !== "RIFF" || b.toString("latin1", 8, 12) !== "WAVE") throw new Error("the full-rate stream is not a WAV");
    let at = 12;
    while (at + 8 <= b.length) {
      const id = b.toString("latin1", at, at + 4);
      const size = b.readUInt32LE(at + 4);
      if (id === "data") {
        if (!this.meter) throw new Error("the WAV stream has no fmt chunk before its data");
        return at + 8;
      }
      if (at + 8 + size > b.length) return undefined;
      if (id === "fmt ") {
        const tag = b.readUInt16LE(at + 8);
        const channels = b.readUInt16LE(at + 10);
        const bits = b.readUInt16LE(at + 22);
        // 3 is IEEE float; 0xfffe (extensible) is what ffmpeg writes for float with a channel mask
        if ((tag !== 3 && tag !== 0xfffe) || bits !== 32) throw new Error(`the WAV stream is not 32-bit float (tag ${tag}, ${bits} bits)`);
        this.meter = new TruePeakMeter(channels);
        this.frameBytes = 4 * channels;
      }
      at += 8 + size + (size & 1);
    }
    return undefined;
  }
}
