import fs from "node:fs";
import type { IAudioMetadata } from "music-metadata";
import { AsixError, isAsixError } from "../../../sdk/errors";
import { DEMUXER_OF, fileUrl, inputArgs, runFfmpeg } from "./ffmpeg";
import { CONTENT_TYPE_OF, sniffAudioAt, sniffAudioFile, type AudioKind } from "./sniff";

/**
 * Probing an upload (music-metadata, reading the container the sniff found) and transcoding it to
 * the protocol's 320 kbps / 48 kHz MP3 plus a 30 s preview, in one ffmpeg decode.
 */
export const PREVIEW_SECONDS = 30;

export interface AudioProbe {
  kind: AudioKind;
  /** seconds */
  duration: number;
  /** the ffmpeg demuxer the file is read with */
  formatName: string;
  /** the file's size in bytes */
  bytes: number;
  /** b/s declared by the frame headers of a constant-bitrate MP3 */
  cbrBitrate?: number;
}

let musicMetadata: Promise<typeof import("music-metadata")> | undefined;
/**
 * The probe's parser, loaded on first use and kept: loading it (an ES module of ~100 files) took
 * about 300 ms, which the first upload after a start waited for. An upload starts it as its body
 * begins to arrive, so the load overlaps the receive.
 */
export function loadProbe(): Promise<typeof import("music-metadata")> {
  musicMetadata ??= import("music-metadata");
  return musicMetadata;
}

const unsupported = (message: string, cause?: unknown) => new AsixError("UNSUPPORTED_MEDIA", message, cause === undefined ? undefined : { cause });

/** Read the container's header with the parser of the sniffed kind (never a guess from the content). */
export async function probeAudio(file: string): Promise<AudioProbe> {
  const kind = await sniffAudioFile(file);
  if (!kind) throw notAudio();
  const { parseBlob, parseStream } = await loadProbe();
  const blob = await fs.openAsBlob(file, { type: CONTENT_TYPE_OF[kind] });
  // Ogg's length is its last page's granule, found by reading every page: sequential reads through
  // a stream are about 4x faster than the blob's random access there; other kinds seek.
  const stream = kind === "ogg" ? fs.createReadStream(file, { highWaterMark: 1 << 20 }) : undefined;
  try {
    return probeOf(kind, blob.size, await (stream ? parseStream(stream, { mimeType: blob.type, size: blob.size }, PARSE) : parseBlob(blob, PARSE)));
  } catch (cause) {
    throw unreadable(cause);
  } finally {
    stream?.destroy(); // the parser may stop before the end, which would leave the file open
  }
}

/** A temp file still being written whose final size is known ahead (an upload's Content-Length). */
export interface GrowingFile {
  path: string;
  /** the size the file will have once complete */
  size: number;
  /** resolves once the first `bytes` bytes are written, or once no more will come */
  waitFor(bytes: number): Promise<void>;
}

/**
 * `probeAudio` run while the file arrives: each read waits until its bytes are written, so the
 * header is parsed as soon as it is in and the rest (e.g. a WAV's chunks after its data, an MP3's
 * last bytes) as soon as they are, instead of after the last byte. Same parser on the same bytes:
 * the result is the complete file's, as long as the file ends at `size` (the caller checks that, and
 * probes the complete file otherwise). Undefined for Ogg, which a stream reads faster once complete.
 */
export async function probeGrowing(file: GrowingFile): Promise<AudioProbe | undefined> {
  const fh = await fs.promises.open(file.path, "r");
  try {
    const readInto = async (buf: Buffer, position: number) => {
      await file.waitFor(Math.min(position + buf.length, file.size));
      return fh.read(buf, 0, buf.length, position);
    };
    const kind = await sniffAudioAt(file.size, readInto);
    if (!kind) throw notAudio();
    if (kind === "ogg") return undefined;
    const { parseBlob } = await loadProbe();
    try {
      return probeOf(kind, file.size, await parseBlob(growingBlob(file.size, CONTENT_TYPE_OF[kind], readInto), PARSE));
    } catch (cause) {
      throw unreadable(cause);
    }
  } finally {
    await fh.close();
  }
}

/**
 * What music-metadata's parseBlob reads of a Blob (size, type, slice(…).arrayBuffer()) over a
 * file that is still being written; a node Blob cannot wait for bytes that are not there yet.
 */
function growingBlob(size: number, type: string, readInto: (buf: Buffer, position: number) => Promise<{ bytesRead: number }>, start = 0, end = size): Blob {
  const view = {
    size: end - start,
    type,
    slice: (from = 0, to = end - start) => growingBlob(size, type, readInto, start + from, start + Math.min(to, end - start)),
    arrayBuffer: async () => {
      const buf = Buffer.alloc(Math.max(0, end - start));
      for (let filled = 0; filled < buf.length; ) {
        const { bytesRead } = await readInto(buf.subarray(filled), start + filled);
        // the file stopped short of the size it was probed for: this probe cannot stand
        if (bytesRead === 0) throw new AsixError("UNSUPPORTED_MEDIA", `the file ended before byte ${start + filled}`);
        filled += bytesRead;
      }
      return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length);
    },
  };
  return view as unknown as Blob;
}

const PARSE = { duration: true, skipCovers: true };
const notAudio = () => unsupported("not an audio file (mp3, wav, flac, ogg or m4a); an ID3 tag must be followed by MPEG audio");
const unreadable = (cause: unknown) =>
  isAsixError(cause) ? cause : unsupported("the file is not audio that can be read (damaged or truncated)", cause);

function probeOf(kind: AudioKind, bytes: number, { format }: IAudioMetadata): AudioProbe {
  if (!format.codec || !format.sampleRate) throw unsupported("the file holds no audio stream that can be read");
  if (!(typeof format.duration === "number" && Number.isFinite(format.duration))) {
    throw unsupported("the audio has no duration (truncated or damaged)");
  }
  return {
    kind,
    duration: format.duration,
    formatName: DEMUXER_OF[kind],
    bytes,
    cbrBitrate: kind === "mp3" && format.codecProfile === "CBR" ? format.bitrate : undefined,
  };
}

/**
 * The fewest bytes per second of audio any real encoding of each kind takes. MPEG audio cannot go
 * below 8 kb/s (1000 B/s; 10% is left for rounding of the probed length); WAV codecs (PCM, ADPCM,
 * GSM) stay above 4 kb/s; encoders of FLAC, Vorbis, Opus and AAC need about 100 B/s even for
 * digital silence, a third of that is allowed.
 */
export const MIN_BYTES_PER_SECOND: Record<AudioKind, number> = { mp3: 900, wav: 500, flac: 32, ogg: 32, m4a: 32 };

/**
 * Refuse audio that cannot be played whole: no length, a length that the file's bytes cannot hold
 * (a forged header or frame count), or a constant-bitrate MP3 whose header declares more audio than
 * the bytes hold, i.e. a truncated file.
 */
export function checkPlayable(probe: AudioProbe): void {
  if (!(probe.duration > 0)) throw unsupported("the audio is empty");
  const bytesPerSecond = probe.bytes / probe.duration;
  if (bytesPerSecond < MIN_BYTES_PER_SECOND[probe.kind]) {
    throw unsupported(`the header declares ${Math.round(probe.duration)} s of audio, more than ${probe.bytes} bytes of ${probe.kind} can hold`);
  }
  if (probe.cbrBitrate && bytesPerSecond * 8 < probe.cbrBitrate * 0.9) {
    throw unsupported("the MP3 is truncated: its header declares more audio than the file holds");
  }
}

export interface TranscodeJob {
  input: string;
  kind: AudioKind;
  output: string;
  previewOutput: string;
  previewStart: number;
  /** the source's probed duration in seconds, for progress and to check the decode against */
  duration: number;
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

/** A decode shorter than this fraction of the probed duration means the header lied about the length. */
const MIN_DECODED_FRACTION = 0.9;

/**
 * 320 kbps / 48 kHz MP3 of the whole file, and a 30 s preview from `previewStart`, in one ffmpeg run.
 * The decoded length must match the probed one, else the upload fails: a header can claim hours the
 * bytes do not hold, and the track would be listed with that length.
 * A preview from 0 of a track no longer than a preview is the whole track, and encoding it again
 * gave the same bytes (the same CID) at twice the CPU: such a track is encoded once and copied.
 */
export async function transcodeAudio(job: TranscodeJob): Promise<void> {
  const encode = ["-map", "0:a:0", "-vn", "-map_metadata", "-1", "-c:a", "libmp3lame", "-b:a", "320k", "-ar", "48000", "-f", "mp3"];
  const preview = [...encode, "-ss", String(job.previewStart), "-t", String(PREVIEW_SECONDS), fileUrl(job.previewOutput)];
  const previewIsWhole = job.previewStart === 0 && job.duration > 0 && job.duration < PREVIEW_SECONDS;
  const args = [
    "-hide_banner", "-nostdin", "-v", "error", "-progress", "pipe:1", "-y",
    ...inputArgs(job.input, job.kind),
    ...encode, fileUrl(job.output),
    ...(previewIsWhole ? [] : preview),
  ];
  let decodedUs = 0;
  await runFfmpeg(args, {
    signal: job.signal,
    onStdoutLine: (line) => {
      const m = /^out_time_us=(\d+)/.exec(line);
      if (!m) return;
      decodedUs = Math.max(decodedUs, Number(m[1]));
      if (job.duration > 0) job.onProgress?.(Math.min(0.99, decodedUs / 1e6 / job.duration));
    },
  });
  const decoded = decodedUs / 1e6;
  if (decoded < job.duration * MIN_DECODED_FRACTION) {
    throw new AsixError("UPLOAD_FAILED", `the file decodes to ${decoded.toFixed(1)} s of audio but its header declares ${job.duration.toFixed(1)} s`);
  }
  if (!previewIsWhole) return;
  if (decoded < PREVIEW_SECONDS) await fs.promises.copyFile(job.output, job.previewOutput);
  // the header said short but the audio is longer: the preview is a cut after all
  else await runFfmpeg(["-hide_banner", "-nostdin", "-v", "error", "-y", ...inputArgs(job.input, job.kind), ...preview], { signal: job.signal });
}
