import { expect } from "chai";
import { randomBytes } from "node:crypto";
import type { Readable } from "node:stream";
import { isAsixError } from "../../../sdk/errors";
import { MultipartParser, boundaryOf, type FilePartInfo } from "../../../devnet/services/content-node/multipart";

const BOUNDARY = "----asixtest7MA4YWxkTrZu0gW";
const LIMITS = { files: 1, fields: 20, fieldSize: 1024, parts: 30 };

const field = (name: string, value: string) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
const fileHead = (name: string, filename: string) =>
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: audio/wav\r\n\r\n`;
const body = (file: Buffer, extra = "") =>
  Buffer.concat([Buffer.from(field("template", "audio") + extra + fileHead("files", "a b.wav")), file, Buffer.from(`\r\n--${BOUNDARY}--\r\n`)]);

interface Parsed {
  fields: Record<string, string>;
  files: { name: string; info: FilePartInfo; bytes: Buffer }[];
}

/** Feed `chunks` one write at a time, reading any file part fully; resolves on close, rejects on error. */
function parse(chunks: Buffer[], limits = LIMITS): Promise<Parsed> {
  return new Promise((resolve, reject) => {
    const out: Parsed = { fields: {}, files: [] };
    const reading: Promise<void>[] = [];
    const parser = new MultipartParser(BOUNDARY, limits);
    parser.on("field", (name: string, value: string) => (out.fields[name] = value));
    parser.on("file", (name: string, stream: Readable, info: FilePartInfo) => {
      const parts: Buffer[] = [];
      reading.push(
        (async () => {
          for await (const c of stream) parts.push(c as Buffer);
          out.files.push({ name, info, bytes: Buffer.concat(parts) });
        })(),
      );
    });
    parser.on("error", reject);
    parser.on("finish", () => Promise.all(reading).then(() => resolve(out), reject));
    (async () => {
      for (const c of chunks) if (!parser.write(c)) await new Promise((r) => parser.once("drain", r));
      parser.end();
    })().catch(reject);
  });
}

async function refusal(chunks: Buffer[], limits = LIMITS): Promise<Error> {
  try {
    await parse(chunks, limits);
  } catch (err) {
    return err as Error;
  }
  throw new Error("the body was accepted");
}

const split = (buf: Buffer, size: number) => Array.from({ length: Math.ceil(buf.length / size) }, (_, i) => buf.subarray(i * size, (i + 1) * size));

describe("content node: multipart parser", () => {
  it("reads a field and a file part, with a delimiter-like run inside the file", async () => {
    // CR LF and dashes that start the delimiter without finishing it must stay in the file.
    const file = Buffer.concat([randomBytes(1000), Buffer.from(`\r\n--${BOUNDARY.slice(0, -1)}x\r\n\r`), randomBytes(1000)]);
    const parsed = await parse([body(file)]);
    expect(parsed.fields).to.deep.equal({ template: "audio" });
    expect(parsed.files).to.have.length(1);
    expect(parsed.files[0].name).to.equal("files");
    expect(parsed.files[0].info).to.deep.equal({ filename: "a b.wav", mimeType: "audio/wav", offset: body(file).indexOf(file) });
    expect(parsed.files[0].bytes.equals(file)).to.equal(true);
  });

  it("gives the same parts whatever the chunking, split at every offset", async () => {
    const file = Buffer.concat([randomBytes(60), Buffer.from(`\r\n--${BOUNDARY.slice(0, 10)}`), randomBytes(60)]);
    const whole = body(file);
    for (let at = 1; at < whole.length; at++) {
      const parsed = await parse([whole.subarray(0, at), whole.subarray(at)]);
      expect(parsed.files[0].bytes.equals(file), `split at ${at}`).to.equal(true);
      expect(parsed.fields.template, `split at ${at}`).to.equal("audio");
      // where the file begins in the body: what the node's early probe takes the file's size from
      expect(parsed.files[0].info.offset, `split at ${at}`).to.equal(whole.indexOf(file));
    }
    for (const size of [1, 7, 61]) {
      const parsed = await parse(split(whole, size));
      expect(parsed.files[0].bytes.equals(file), `chunks of ${size}`).to.equal(true);
      expect(parsed.files[0].info.offset, `chunks of ${size}`).to.equal(whole.indexOf(file));
    }
  });

  it("streams a large file part with backpressure and no loss", async () => {
    const file = randomBytes(8 * 1024 * 1024 + 13);
    const parsed = await parse(split(body(file), 65536));
    expect(parsed.files[0].bytes.equals(file)).to.equal(true);
  });

  it("refuses a body that ends before its closing boundary", async () => {
    const whole = body(randomBytes(5000));
    const err = await refusal([whole.subarray(0, whole.length - 20)]);
    expect(isAsixError(err, "INVALID_INPUT")).to.equal(true);
    expect(err.message).to.match(/ended before its closing boundary/);
  });

  it("refuses a second file part instead of dropping it", async () => {
    const err = await refusal([body(randomBytes(100), fileHead("files", "b.wav") + "xyz\r\n")]);
    expect(isAsixError(err, "INVALID_INPUT")).to.equal(true);
    expect(err.message).to.match(/one file part only/);
  });

  it("refuses a field longer than fieldSize instead of truncating it", async () => {
    const err = await refusal([body(randomBytes(100), field("previewStartSeconds", "1".repeat(2000)))]);
    expect(isAsixError(err, "INVALID_INPUT")).to.equal(true);
    expect(err.message).to.match(/longer than 1024 bytes/);
  });

  it("refuses too many fields, a part without a name and an oversized part header", async () => {
    const many = Array.from({ length: 21 }, (_, i) => field(`f${i}`, "v")).join("");
    expect((await refusal([body(randomBytes(10), many)])).message).to.match(/too many form fields/);
    const nameless = `--${BOUNDARY}\r\nContent-Disposition: form-data; filename="a.wav"\r\n\r\nxx\r\n--${BOUNDARY}--\r\n`;
    expect((await refusal([Buffer.from(nameless)])).message).to.match(/has no name/);
    const huge = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="${"f".repeat(100_000)}"\r\n\r\nxx\r\n--${BOUNDARY}--\r\n`;
    expect((await refusal(split(Buffer.from(huge), 4096))).message).to.match(/header is too large/);
  });

  it("reads the boundary from the content type, quoted or not, and refuses a missing one", () => {
    expect(boundaryOf(`multipart/form-data; boundary=${BOUNDARY}`)).to.equal(BOUNDARY);
    expect(boundaryOf(`multipart/form-data; charset=utf-8; boundary="a b:c"`)).to.equal("a b:c");
    expect(() => boundaryOf("multipart/form-data")).to.throw(/no boundary/);
    expect(() => boundaryOf("text/plain; boundary=x")).to.throw(/multipart/);
  });
});
