import fs from "node:fs";
import { AsixError } from "../../../sdk/errors";
import { DEMUXER_OF, fileUrl, inputArgs, runFfmpeg } from "./ffmpeg";
import { CONTENT_TYPE_OF, sniffAudioFile, type AudioKind } from "./sniff";

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
  if (!kind) throw unsupported("not an audio file (mp3, wav, flac, ogg or m4a); an ID3 tag must be followed by MPEG audio");
  const { parseBlob, parseStream } = await loadProbe();
  const blob = await fs.openAsBlob(file, { type: CONTENT_TYPE_OF[kind] });
  const options = { duration: true, skipCovers: true };
  // Ogg's length is its last page's granule, found by reading every page: sequential reads through
  // a stream are about 4x faster than the blob's random access there; other kinds seek.
  const stream = kind === "ogg" ? fs.createReadStream(file, { highWaterMark: 1 << 20 }) : undefined;
  let format;
  try {
    ({ format } = stream ? await parseStream(stream, { mimeType: blob.type, size: blob.size }, options) : await parseBlob(blob, options));
  } catch (cause) {
    throw unsupported("the file is not audio that can be read (damaged or truncated)", cause);
  } finally {
    stream?.destroy(); // the parser may stop before the end, which would leave the file open
  }
  if (!format.codec || !format.sampleRate) throw unsupported("the file holds no audio stream that can be read");
  if (!(typeof format.duration === "number" && Number.isFinite(format.duration))) {
    throw unsupported("the audio has no duration (truncated or damaged)");
  }
  return {
    kind,
    duration: format.duration,
    formatName: DEMUXER_OF[kind],
    bytes: blob.size,
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
