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
