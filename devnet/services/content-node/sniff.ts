/**
 * What a file really is, from its first bytes (never from the client's Content-Type or file name).
 * Enough of the header is needed: callers pass the first SNIFF_BYTES bytes.
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
  if (ascii(b, 0, "ID3")) return "mp3";
  // MPEG audio frame sync: 11 set bits, layer III/II/I, not a reserved version.
  if (b.length >= 2 && b[0] === 0xff && (b[1] & 0xe0) === 0xe0 && (b[1] & 0x06) !== 0 && (b[1] & 0x18) !== 0x08) return "mp3";
  if (ascii(b, 0, "RIFF") && ascii(b, 8, "WAVE")) return "wav";
  if (ascii(b, 0, "fLaC")) return "flac";
  if (ascii(b, 0, "OggS")) return "ogg";
  if (ascii(b, 4, "ftyp")) return "m4a";
  return undefined;
}

export function sniffImage(b: Uint8Array): ImageKind | undefined {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "jpeg";
  if (b.length >= 8 && b[0] === 0x89 && ascii(b, 1, "PNG") && b[4] === 0x0d && b[5] === 0x0a && b[6] === 0x1a && b[7] === 0x0a) return "png";
  if (ascii(b, 0, "RIFF") && ascii(b, 8, "WEBP")) return "webp";
  return undefined;
}

/** The Content-Type to serve a stored blob with. */
export function sniffContentType(b: Uint8Array): string {
  const kind = sniffAudio(b) ?? sniffImage(b);
  return kind ? CONTENT_TYPE_OF[kind] : "application/octet-stream";
}
