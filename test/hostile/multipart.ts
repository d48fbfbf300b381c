import { crc32, deflateSync } from "node:zlib";
import sharp from "sharp";
import { signRequestHeaders } from "../../sdk/signatures";
import type { HostileRequest } from "./wire";
import type { World } from "./world";

/** Multipart bodies written by hand, so a row can break them exactly where it means to. */
export const BOUNDARY = "hostileboundary";
export const part = (name: string, value: string | Buffer, filename?: string, type = "application/octet-stream") =>
  Buffer.concat([
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"${filename !== undefined ? `; filename="${filename}"\r\nContent-Type: ${type}` : ""}\r\n\r\n`),
    Buffer.from(value),
    Buffer.from("\r\n"),
  ]);
export const END = Buffer.from(`--${BOUNDARY}--\r\n`);
const MULTIPART = `multipart/form-data; boundary=${BOUNDARY}`;
export const upload = (body: (w: World) => Buffer | Promise<Buffer>, headers: (w: World) => Promise<Record<string, string>> | Record<string, string> = (w) => signed(w), node = 0) => async (w: World): Promise<HostileRequest> => ({
  base: w.content[node], method: "POST", path: "/uploads", headers: { "content-type": MULTIPART, ...(await headers(w)) }, body: await body(w),
});
/** headers signed by a wallet that owns no user */
export const signed = (w: World) => signRequestHeaders(w.stranger);
let png: Buffer | undefined;
export const tinyPng = async () => (png ??= await sharp({ create: { width: 8, height: 8, channels: 3, background: "#123456" } }).png().toBuffer());

/**
 * A PNG that declares 60000×60000 pixels in 200-odd bytes: a decompression bomb for any decoder
 * that believes its header (3.6 billion pixels, over sharp's default limit).
 */
export function pixelBombPng(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(60_000, 0);
  ihdr.writeUInt32BE(60_000, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const idat = deflateSync(Buffer.alloc(64 * 1024));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr), chunk("IDAT", idat), chunk("IEND", Buffer.alloc(0))]);
}
