import fs from "node:fs";

/**
 * What a file really is, from its first bytes (never from the client's Content-Type or file name).
 * Enough of the header is needed: callers pass the first SNIFF_BYTES bytes. An MP3 is only settled
 * by `sniffAudioFile`, which looks past its ID3 tag.
 */
export const SNIFF_BYTES = 64;

export type AudioKind = "mp3" | "wav" | "flac" | "ogg" | "m4a";
export type ImageKind = "jpeg" | "png" | "webp";

export const CONTENT_TYPE_OF: Record<AudioKind | ImageKind, string> = {
  mp3: "audio/mpeg",
  wav: "audio/wav",
  flac: "audio/flac",
  ogg: "audio/ogg",
  m4a: "audio/mp4",
  jpeg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
};

const ascii = (b: Uint8Array, start: number, text: string) =>
  b.length >= start + text.length && [...text].every((ch, i) => b[start + i] === ch.charCodeAt(0));

export function sniffAudio(b: Uint8Array): AudioKind | undefined {
  if (ascii(b, 0, "ID3")) {
    // `ID3` alone says nothing about what follows: ffmpeg skips the tag and probes the rest, which
    // may be a playlist. When the first frame is within these bytes it must be MPEG audio.
    let at = 0;
    while (ascii(b, at, "ID3")) {
      if (b.length < at + 10) return "mp3"; // the tag goes on past these bytes: sniffAudioFile decides
      const tag = id3v2Length(b, at);
      if (tag < 0) return undefined;
      at += tag;
    }
    while (at < b.length && b[at] === 0) at++;
    return at + 4 > b.length || mpegFrameAt(b, at) ? "mp3" : undefined;
  }
  if (mpegFrameAt(b, 0)) return "mp3";
  if (ascii(b, 0, "RIFF") && ascii(b, 8, "WAVE")) return "wav";
  if (ascii(b, 0, "fLaC")) return "flac";
  if (ascii(b, 0, "OggS")) return "ogg";
  if (ascii(b, 4, "ftyp")) return "m4a";
  return undefined;
}

/** Bytes read after the last ID3 tag to find the first two MPEG frames (they are at most 2,881 bytes each). */
const FRAME_WINDOW = 8 * 1024;
/** Zero bytes tolerated between a tag and the first frame (some taggers pad outside the tag). */
const MAX_ZERO_PADDING = 4 * 1024;

/**
 * The audio kind of a whole file: `sniffAudio`, and for an MP3 the bytes after its ID3 tag(s) must be
 * two consecutive MPEG audio frame headers (or one frame that ends the file), so an ID3 tag in front
 * of a playlist, a concat list or any other container is refused.
 */
export async function sniffAudioFile(file: string): Promise<AudioKind | undefined> {
  const fh = await fs.promises.open(file, "r");
  try {
    const { size } = await fh.stat();
    return await sniffAudioAt(size, (buf, position) => fh.read(buf, 0, buf.length, position));
  } finally {
    await fh.close();
  }
}

/** `sniffAudioFile` over any reader of `size` bytes (also a file still being written: uploads.ts). */
export async function sniffAudioAt(size: number, readInto: (buf: Buffer, position: number) => Promise<{ bytesRead: number }>): Promise<AudioKind | undefined> {
  const read = async (position: number, length: number) => {
    const buf = Buffer.alloc(Math.max(0, Math.min(length, size - position)));
    const { bytesRead } = await readInto(buf, position);
    return buf.subarray(0, bytesRead);
  };
  const kind = sniffAudio(await read(0, SNIFF_BYTES));
  if (kind !== "mp3") return kind;
  let at = 0;
  for (let tags = 0; ; tags++) {
    const tag = id3v2Length(await read(at, 10), 0);
    if (tag < 0 || tags > 8) return undefined;
    if (tag === 0) break;
    at += tag;
  }
  const window = await read(at, MAX_ZERO_PADDING + FRAME_WINDOW);
  let first = 0;
  while (first < MAX_ZERO_PADDING && window[first] === 0) first++;
  const frame = mpegFrameAt(window, first);
  if (!frame) return undefined;
  const next = first + frame.length;
  if (at + next >= size) return "mp3";
  const second = mpegFrameAt(window, next);
  return second && second.version === frame.version && second.layer === frame.layer && second.sampleRate === frame.sampleRate ? "mp3" : undefined;
}

/**
 * Length of the ID3v2 tag starting at `at` (header, body and footer), 0 when there is none, -1 when
 * the header is malformed (the size must be four 7-bit "syncsafe" bytes).
 */
export function id3v2Length(b: Uint8Array, at: number): number {
  if (!ascii(b, at, "ID3")) return 0;
  if (b.length < at + 10) return -1;
  const size = b.subarray(at + 6, at + 10);
  if (size.some((x) => x & 0x80) || b[at + 3] === 0xff || b[at + 4] === 0xff) return -1;
  const footer = b[at + 5] & 0x10 ? 10 : 0;
  return 10 + ((size[0] << 21) | (size[1] << 14) | (size[2] << 7) | size[3]) + footer;
}

export interface MpegFrame {
  /** 1, 2 or 2.5 */
  version: number;
  layer: number;
  sampleRate: number;
  /** bytes, header included */
  length: number;
}

// kb/s by bitrate index 1..14 (ISO 11172-3 and 13818-3); index 0 (free format) and 15 are refused.
const KBPS: Record<string, number[]> = {
  "1/1": [32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  "1/2": [32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  "1/3": [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  "2/1": [32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  "2/2": [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  "2/3": [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const SAMPLE_RATES: Record<number, number[]> = { 1: [44100, 48000, 32000], 2: [22050, 24000, 16000], 2.5: [11025, 12000, 8000] };

/**
 * The MPEG audio frame header at `at`, if the four bytes there are a valid one: 11 sync bits, no
 * reserved version, layer, bitrate or sample rate. Hand-written because no maintained library
 * exports a frame-header check; it is the table lookup of the standard and nothing more.
 */
export function mpegFrameAt(b: Uint8Array, at: number): MpegFrame | undefined {
  if (b.length < at + 4 || b[at] !== 0xff || (b[at + 1] & 0xe0) !== 0xe0) return undefined;
  const version = [2.5, 0, 2, 1][(b[at + 1] >> 3) & 3];
  const layer = [0, 3, 2, 1][(b[at + 1] >> 1) & 3];
  const bitrateIndex = b[at + 2] >> 4;
  const rateIndex = (b[at + 2] >> 2) & 3;
  if (!version || !layer || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return undefined;
  const kbps = KBPS[`${version === 1 ? 1 : 2}/${layer}`][bitrateIndex - 1];
  const sampleRate = SAMPLE_RATES[version][rateIndex];
  const padding = (b[at + 2] >> 1) & 1;
  const length =
    layer === 1
      ? (Math.floor((12 * kbps * 1000) / sampleRate) + padding) * 4
      : Math.floor(((layer === 3 && version !== 1 ? 72 : 144) * kbps * 1000) / sampleRate) + padding;
  return { version, layer, sampleRate, length };
}

export function sniffImage(b: Uint8Array): ImageKind | undefined {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "jpeg";
  if (b.length >= 8 && b[0] === 0x89 && ascii(b, 1, "PNG") && b[4] === 0x0d && b[5] === 0x0a && b[6] === 0x1a && b[7] === 0x0a) return "png";
  if (ascii(b, 0, "RIFF") && ascii(b, 8, "WEBP")) return "webp";
  return undefined;
}

/** A waveform blob's type: BBC audiowaveform JSON, as the analyzer writes it (analyzer.ts). */
export const WAVEFORM_CONTENT_TYPE = "application/json";
/** The largest waveform blob a node accepts from a peer (a few kB in practice). */
export const MAX_WAVEFORM_BYTES = 256 * 1024;
/** How every waveform blob begins: the analyzer writes its keys in this order. */
const WAVEFORM_PREFIX = '{"version":2,"channels":1,"sample_rate":';

/** Whether these first bytes are those of a waveform blob (the only JSON a content node stores). */
export function sniffWaveform(b: Uint8Array): boolean {
  return ascii(b, 0, WAVEFORM_PREFIX);
}

/** The Content-Type to serve a stored blob with. */
export function sniffContentType(b: Uint8Array): string {
  const kind = sniffAudio(b) ?? sniffImage(b);
  if (kind) return CONTENT_TYPE_OF[kind];
  return sniffWaveform(b) ? WAVEFORM_CONTENT_TYPE : "application/octet-stream";
}
