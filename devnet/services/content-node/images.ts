import sharp from "sharp";
import { AsixError } from "../../../sdk/errors";
import type { UploadTemplate } from "./db";

/**
 * Image variants (PROTOCOL.md §5): square art at 150, 480 and 1000 px; backdrops (cover photos)
 * 640 and 2000 px wide. All JPEG, named as the protocol names them.
 */
export interface ImageVariant {
  name: string;
  width: number;
  /** undefined: keep the aspect ratio */
  height?: number;
}

export const IMAGE_VARIANTS: Record<Exclude<UploadTemplate, "audio">, ImageVariant[]> = {
  img_square: [
    { name: "150x150.jpg", width: 150, height: 150 },
    { name: "480x480.jpg", width: 480, height: 480 },
    { name: "1000x1000.jpg", width: 1000, height: 1000 },
  ],
  img_backdrop: [
    { name: "640x.jpg", width: 640 },
    { name: "2000x.jpg", width: 2000 },
  ],
};

/** Every variant name any template produces; anything else in a URL is refused. */
export const VARIANT_NAMES = new Set(Object.values(IMAGE_VARIANTS).flat().map((v) => v.name));

/**
 * Write one variant as a JPEG file. Square variants are center-cropped; small sources are scaled up.
 * `failOn: "error"` makes a damaged or truncated image an error instead of a grey half picture.
 */
export async function renderVariant(input: string, variant: ImageVariant, output: string): Promise<void> {
  try {
    await sharp(input, { failOn: "error" })
      .rotate() // honour EXIF orientation
      .resize(variant.width, variant.height, { fit: "cover", position: "centre" })
      .flatten({ background: "#ffffff" })
      .jpeg({ quality: 90 })
      .toFile(output);
  } catch (cause) {
    throw new AsixError("UNSUPPORTED_MEDIA", "the image cannot be decoded (damaged or truncated)", { cause });
  }
}
