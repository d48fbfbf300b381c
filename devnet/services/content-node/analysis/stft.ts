import FFT from "fft.js";

/**
 * Magnitude spectra of Hann-windowed frames (`size` a power of two), handed to `onFrame` one at a
 * time so a five-minute track never holds its whole spectrogram. `mags` is reused between calls.
 */
export function forEachSpectrum(pcm: Float32Array, size: number, hop: number, onFrame: (mags: Float64Array, index: number) => void): number {
  const fft = new FFT(size);
  const window = new Float64Array(size);
  for (let i = 0; i < size; i++) window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / size);
  const frame = new Float64Array(size);
  const out = fft.createComplexArray() as number[];
  const mags = new Float64Array(size / 2 + 1);
  const frames = pcm.length < size ? 0 : 1 + Math.floor((pcm.length - size) / hop);
  for (let f = 0; f < frames; f++) {
    const start = f * hop;
    for (let i = 0; i < size; i++) frame[i] = pcm[start + i] * window[i];
    fft.realTransform(out, frame);
    for (let k = 0; k <= size / 2; k++) mags[k] = Math.hypot(out[2 * k], out[2 * k + 1]);
    onFrame(mags, f);
  }
  return frames;
}
