import { forEachSpectrum } from "./stft";
import { AnalysisPartError } from "./types";

/**
 * The onset pass runs at half the analysis rate (pairs of samples averaged): 5.5 kHz still holds the
 * attacks of drums and clicks, and halving the FFT work halves the tempo's cost. Frames of 128 with
 * a hop of 64 keep the 11.6 ms time step and 23 ms window of 256/128 at the full rate.
 */
const FRAME = 128;
const HOP = 64;
const MIN_BPM = 60;
const MAX_BPM = 200;
/** Shorter audio holds too few beats for a tempo worth reporting. */
export const MIN_TEMPO_SECONDS = 5;
/**
 * Mean spectral flux over mean log-spectrum level below which there are no onsets (measured on the
 * half-rate 128-point frames): a steady sine measures about 0.002, chords changing once a bar
 * 0.02-0.035, click tracks 0.42.
 */
const MIN_ONSET_STRENGTH = 0.01;
/** ACF lags up to this many seconds: four beats at MIN_BPM, and enough multiples to refine fast tempos. */
const MAX_LAG_SECONDS = 4 * (60 / MIN_BPM);

/**
 * Tempo in BPM (0.1 precision): a spectral-flux onset envelope, its autocorrelation, and a comb that
 * scores each candidate period by the autocorrelation at its first four multiples minus that at the
 * half-way points. The half-way term is what keeps a click track at 174 from reading as 87 (its
 * off-beats at the 87 candidate's half period are full beats) and one at 80 from reading as 160 (the
 * 160 candidate's even multiples are empty). A broad prior around 120 BPM breaks near-ties.
 */
export function detectTempo(pcm: Float32Array, sampleRate: number): number {
  if (pcm.length < MIN_TEMPO_SECONDS * sampleRate) throw new AnalysisPartError(`too short for a tempo (under ${MIN_TEMPO_SECONDS} s)`);
  const fps = sampleRate / 2 / HOP;
  const { env, strength } = onsetEnvelope(halfRate(pcm));
  // a steady tone's spectrum still flickers a little from frame to frame, periodically; real onsets are far stronger
  if (!(strength >= MIN_ONSET_STRENGTH)) throw new AnalysisPartError("no rhythmic onsets");
  const maxLag = Math.min(env.length - 1, Math.ceil(MAX_LAG_SECONDS * fps) + 2);
  const acf = new Float64Array(maxLag + 1);
  for (let lag = 0; lag <= maxLag; lag++) {
    let s = 0;
    for (let t = lag; t < env.length; t++) s += env[t] * env[t - lag];
    acf[lag] = s;
  }
  if (!(acf[0] > 0)) throw new AnalysisPartError("no rhythmic onsets");
  const at = (lag: number) => cubicAt(acf, lag) / acf[0];

  let best = { bpm: 0, score: -Infinity, raw: 0 };
  for (let bpm = MIN_BPM; bpm <= MAX_BPM; bpm += 0.05) {
    const period = (60 * fps) / bpm;
    let on = 0;
    let off = 0;
    for (let k = 1; k <= 4; k++) {
      on += at(k * period);
      off += at((k - 0.5) * period);
    }
    const raw = (on - 0.5 * off) / 4;
    const prior = Math.exp(-0.5 * (Math.log2(bpm / 120) / 1.5) ** 2);
    if (raw * prior > best.score) best = { bpm, score: raw * prior, raw };
  }
  if (best.raw < 0.05) throw new AnalysisPartError("no steady beat");
  const period = refine(acf, (60 * fps) / best.bpm, maxLag);
  return Math.round(((60 * fps) / period) * 10) / 10;
}

/**
 * A finer period: the parabolic peak of the autocorrelation near each multiple of the coarse period
 * that fits, combined by least squares (period = Σ k·p_k / Σ k²), so the error shrinks with each beat.
 */
function refine(acf: Float64Array, period: number, maxLag: number): number {
  let num = 0;
  let den = 0;
  for (let k = 1; k * period + 3 < maxLag; k++) {
    const guess = Math.round(k * period);
    let peak = guess;
    for (let l = guess - 2; l <= guess + 2; l++) if (acf[l] > acf[peak]) peak = l;
    const [a, b, c] = [acf[peak - 1], acf[peak], acf[peak + 1]];
    const denom = a - 2 * b + c;
    const p = peak + (denom < 0 ? (0.5 * (a - c)) / denom : 0);
    num += k * p;
    den += k * k;
  }
  return den > 0 ? num / den : period;
}

/** Catmull-Rom interpolation, so a peak between two lags keeps its height. */
function cubicAt(a: Float64Array, x: number): number {
  const i = Math.floor(x);
  if (i < 1 || i + 2 >= a.length) return 0;
  const t = x - i;
  const [p0, p1, p2, p3] = [a[i - 1], a[i], a[i + 1], a[i + 2]];
  return p1 + 0.5 * t * (p2 - p0 + t * (2 * p0 - 5 * p1 + 4 * p2 - p3 + t * (3 * (p1 - p2) + p3 - p0)));
}

/** Each pair of samples averaged into one (a box low-pass, enough ahead of onset detection). */
function halfRate(pcm: Float32Array): Float32Array {
  const out = new Float32Array(pcm.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = 0.5 * (pcm[2 * i] + pcm[2 * i + 1]);
  return out;
}

/**
 * Half-wave rectified rise of log magnitude summed over bins, minus its local mean (so a steady
 * level adds nothing), then lightly smoothed so autocorrelation peaks span a few lags; and the
 * onsets' strength relative to the spectrum's level.
 */
function onsetEnvelope(pcm: Float32Array): { env: Float64Array; strength: number } {
  const bins = FRAME / 2 + 1;
  let prev = new Float64Array(bins);
  let cur = new Float64Array(bins);
  const flux: number[] = [];
  let level = 0;
  forEachSpectrum(pcm, FRAME, HOP, (mags, f) => {
    let s = 0;
    for (let k = 1; k < bins; k++) {
      cur[k] = Math.log1p(100 * mags[k]);
      level += cur[k];
      const d = cur[k] - prev[k];
      if (d > 0 && f > 0) s += d;
    }
    flux.push(s);
    [prev, cur] = [cur, prev];
  });
  const n = flux.length;
  const strength = flux.reduce((a, b) => a + b, 0) / level;
  const half = 16;
  const out = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < Math.min(n, half); i++) sum += flux[i];
  for (let i = 0; i < n; i++) {
    if (i + half < n) sum += flux[i + half];
    if (i - half - 1 >= 0) sum -= flux[i - half - 1];
    const width = Math.min(n - 1, i + half) - Math.max(0, i - half) + 1;
    out[i] = Math.max(0, flux[i] - sum / width);
  }
  const smooth = new Float64Array(n);
  for (let i = 0; i < n; i++) smooth[i] = 0.25 * (out[i - 1] ?? 0) + 0.5 * out[i] + 0.25 * (out[i + 1] ?? 0);
  return { env: smooth, strength };
}
