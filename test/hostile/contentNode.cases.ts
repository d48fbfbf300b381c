import { expect } from "chai";
import { gzipSync } from "node:zlib";
import { Wallet } from "ethers";
import { replicaSet } from "../../sdk/rendezvous";
import { signRequestHeaders, signStreamAccess } from "../../sdk/signatures";
import { BOUNDARY, END, part, pixelBombPng, signed, tinyPng, upload } from "./multipart";
import { type HostileCase } from "./table";
import { rawRequest, type HostileRequest } from "./wire";
import type { World } from "./world";

/**
 * The content node: blob paths, Range, the signed stream, uploads (signed headers, multipart) and
 * the peer endpoints. Requests go to a node that holds the blob unless the row is about redirects.
 */
const holder = async (w: World, cid: string) => (await w.holders(cid)).with[0];
const lacker = async (w: World, cid: string) => (await w.holders(cid)).without[0];

const CID_V0_UNKNOWN = "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG";
const CID_V1_UNKNOWN = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi";

/** CIDs that are not CIDs, as they appear in the path. */
const BAD_CIDS: Array<{ label: string; cid: string }> = [
  { label: "a CID one character short", cid: CID_V0_UNKNOWN.slice(0, -1) },
  { label: "a CID with a base58-invalid 0", cid: `Qm0${CID_V0_UNKNOWN.slice(3)}` },
  { label: "encoded dot segments", cid: "..%2F..%2F..%2Fetc%2Fpasswd" },
  { label: "an encoded dot-dot", cid: "%2e%2e" },
  { label: "an encoded NUL after a CID", cid: `${CID_V0_UNKNOWN}%00` },
  { label: "an overlong CID (5000 chars)", cid: `Qm${"a".repeat(5000)}` },
  { label: "unicode look-alikes (Cyrillic)", cid: `Qm%D0%B0${CID_V0_UNKNOWN.slice(3)}` },
  { label: "an SQL string", cid: "%27%20OR%201%3D1--" },
  { label: "a broken percent-encoding", cid: "Qm%E0%A4%A" },
  { label: "the blobs dir shard path", cid: "..%2Fblobs%2Fdi" },
];
const BLOB_ROUTES = ["/content", "/ipfs", "/tracks/cidstream"];
const badCidCases: HostileCase[] = BLOB_ROUTES.flatMap((route) =>
  BAD_CIDS.map((bad) => ({
    name: `GET ${route}/:cid with ${bad.label}`,
    request: (w: World) => ({ base: w.content[0], method: "GET", path: `${route}/${bad.cid}` }),
    status: 400,
    code: "INVALID_INPUT",
  })),
);

const blob = (cid: (w: World) => string, headers: Record<string, string> = {}, method = "GET", route = "/content") => async (w: World): Promise<HostileRequest> => ({
  base: await holder(w, cid(w).replace(/\/$/, "")), method, path: `${route}/${cid(w)}`, headers,
});
const track = (w: World) => w.track.cid;

/** Range headers against a real blob: one satisfiable range is 206, anything else 416. */
const RANGES: Array<{ label: string; range: string; status: number }> = [
  { label: "two ranges", range: "bytes=0-1,5-9", status: 416 },
  { label: "an inverted range", range: "bytes=9-2", status: 416 },
  { label: "a start past the end", range: "bytes=999999999-", status: 416 },
  { label: "a start beyond 2^53", range: "bytes=99999999999999999999-", status: 416 },
  { label: "an end beyond 2^53 (clamped)", range: "bytes=0-99999999999999999999", status: 206 },
  { label: "a suffix of zero bytes", range: "bytes=-0", status: 416 },
  { label: "a suffix longer than the blob", range: "bytes=-99999999999", status: 206 },
  { label: "an empty range spec", range: "bytes=-", status: 416 },
  { label: "a non-byte unit", range: "items=0-1", status: 416 },
  { label: "a negative start", range: "bytes=-1-2", status: 416 },
  { label: "letters for numbers", range: "bytes=a-b", status: 416 },
  { label: "a trailing comma", range: "bytes=0-1,", status: 416 },
  { label: "1000 ranges", range: `bytes=${Array.from({ length: 1000 }, (_, i) => `${i}-${i}`).join(",")}`, status: 416 },
  { label: "hex numbers", range: "bytes=0x0-0x10", status: 416 },
  { label: "a valid first byte", range: "bytes=0-0", status: 206 },
];
const rangeCases: HostileCase[] = [
  ...RANGES.map((r) => ({
    name: `GET /content/:cid with Range ${r.label}`,
    request: blob(track, { range: r.range }),
    status: r.status,
    code: r.status === 416 ? "RANGE_NOT_SATISFIABLE" : undefined,
    check: (a: { status: number; headers: Record<string, unknown> }) => {
      if (a.status === 416) expect(String(a.headers["content-range"])).to.match(/^bytes \*\/\d+$/);
    },
  })),
  ...RANGES.slice(0, 5).map((r) => ({ name: `HEAD /ipfs/:cid with Range ${r.label}`, request: blob(track, { range: r.range }, "HEAD", "/ipfs"), status: r.status })),
];

const headerCases: HostileCase[] = [
  { name: "GET /content/:cid with If-None-Match: *", request: blob(track, { "if-none-match": "*" }), status: 200 },
  { name: "GET /content/:cid with a 6 kB If-None-Match list", request: blob(track, { "if-none-match": Array.from({ length: 300 }, (_, i) => `"etag${i}"`).join(", ") }), status: 200 },
  { name: "GET /content/:cid with the ETag weakened (W/) is 304", request: async (w) => blob(track, { "if-none-match": `W/"${w.track.cid}"` })(w), status: 304 },
  { name: "GET /content/:cid with a 12 kB cookie", request: blob(track, { cookie: `a=${"c".repeat(12_000)}` }), status: 200 },
  { name: "GET /content/:cid with 16 kB of headers (over the limit)", request: blob(track, { "x-junk": "j".repeat(17_000) }), status: 431 },
  { name: "GET /content/:cid with Accept-Encoding: gzip (bytes stay as stored)", request: blob(track, { "accept-encoding": "gzip, br" }), status: 200, check: (a) => expect(a.headers["content-encoding"]).to.equal(undefined) },
  { name: "GET /content/:cid with a header line without a colon", request: (w) => ({ base: w.content[0], method: "GET", path: "", raw: rawRequest("GET", `/content/${w.track.cid}`, ["NoColonHere"]) }), status: 400 },
  { name: "GET /content/:cid with a NUL in a header value", request: (w) => ({ base: w.content[0], method: "GET", path: "", raw: rawRequest("GET", `/content/${w.track.cid}`, ["X-Evil: a\u0000b"]) }), status: 400 },
  { name: "GET /content/:cid with two different Content-Lengths", request: (w) => ({ base: w.content[0], method: "GET", path: "", raw: rawRequest("GET", `/content/${w.track.cid}`, ["Content-Length: 1", "Content-Length: 2"], "x") }), status: 400 },
  { name: "GET /content/:cid with Transfer-Encoding and Content-Length (smuggling)", request: (w) => ({ base: w.content[0], method: "GET", path: "", raw: rawRequest("GET", `/content/${w.track.cid}`, ["Content-Length: 4", "Transfer-Encoding: chunked"], "0\r\n\r\n") }), status: 400 },
  { name: "GET /content/:cid with a raw NUL byte in the path", request: (w) => ({ base: w.content[0], method: "GET", path: "", raw: rawRequest("GET", `/content/${w.track.cid}\u0000`) }), status: 400 },
  { name: "GET /content/:cid with an HTTP/0.9-style request line", request: async (w) => ({ base: await holder(w, w.track.cid), method: "GET", path: "", raw: `GET /content/${w.track.cid}\r\n\r\n` }), status: [200, 400] },
];

const pathCases: HostileCase[] = [
  { name: "GET /content/:cid/../../health_check (dot segments)", request: (w) => ({ base: w.content[0], method: "GET", path: `/content/${w.track.cid}/../../health_check` }), status: 400, code: "INVALID_INPUT" },
  { name: "GET /content/../content.sqlite", request: (w) => ({ base: w.content[0], method: "GET", path: "/content/../content-node.sqlite" }), status: [400, 404] },
  { name: "GET /content//:cid (double slash)", request: (w) => ({ base: w.content[0], method: "GET", path: `/content//${w.track.cid}` }), status: 400, code: "INVALID_INPUT" },
  { name: "GET /content/:cid/ (trailing slash) still serves", request: blob((w) => `${w.track.cid}/`), status: 200 },
  { name: "GET /content/:cid?noredirect=1 on a node without it is 404", request: async (w) => ({ base: await lacker(w, w.track.cid), method: "GET", path: `/content/${w.track.cid}?noredirect=1` }), status: 404, code: "NOT_FOUND" },
  { name: "GET /content/:cid on a node without it redirects to a holder", request: async (w) => ({ base: await lacker(w, w.track.cid), method: "GET", path: `/content/${w.track.cid}` }), status: 302, check: (a) => expect(String(a.headers.location)).to.match(/[?&]skip=/) },
  { name: "GET /content/:cid for a CIDv0 nobody holds", request: (w) => ({ base: w.content[0], method: "GET", path: `/content/${CID_V0_UNKNOWN}` }), status: 404, code: "NOT_FOUND" },
  { name: "GET /ipfs/:cid for a CIDv1 nobody holds", request: (w) => ({ base: w.content[0], method: "GET", path: `/ipfs/${CID_V1_UNKNOWN}` }), status: 404, code: "NOT_FOUND" },
  { name: "GET /content/:cid with repeated noredirect", request: async (w) => ({ base: await lacker(w, w.track.cid), method: "GET", path: `/content/${w.track.cid}?noredirect=1&noredirect=2` }), status: 404, code: "NOT_FOUND" },
  { name: "GET /content/:cid with a redirect target smuggled in the query", request: async (w) => ({ base: await lacker(w, w.track.cid), method: "GET", path: `/content/${w.track.cid}?x=//evil.example/%2F..` }), status: 302, check: (a, w) => expect(w.content.map((c) => String(a.headers.location).startsWith(c))).to.include(true) },
  { name: "GET /health_check with junk query", request: (w) => ({ base: w.content[1], method: "GET", path: "/health_check?%00=%00&x[]=1" }), status: 200 },
  ...["PUT", "DELETE", "PATCH", "POST"].map((method) => ({ name: `${method} /content/:cid`, request: (w: World) => ({ base: w.content[0], method, path: `/content/${w.track.cid}`, body: "x" }), status: [400, 404, 405] })),
  { name: "DELETE /uploads/:id", request: (w) => ({ base: w.content[0], method: "DELETE", path: `/uploads/${w.track.coverUploadId}` }), status: [404, 405] },
  { name: "GET /internal/blobs/:cid (only HEAD and PUT exist)", request: (w) => ({ base: w.content[0], method: "GET", path: `/internal/blobs/${w.track.cid}` }), status: [400, 404, 405] },
];

/** Image variants: the upload id and variant name both come from the path. */
const variantCases: HostileCase[] = [
  { name: "GET /content/:uploadId/:variant with a real cover still answers", request: (w) => ({ base: w.content[0], method: "GET", path: `/content/${w.track.coverUploadId}/150x150.jpg` }), status: [200, 302] },
  { name: "HEAD /content/:uploadId/:variant with a dot-dot upload id", request: (w) => ({ base: w.content[0], method: "HEAD", path: "/content/..%2F..%2F/150x150.jpg" }), status: 400 },
  { name: "GET /content/:uploadId/:variant with an unknown variant", request: (w) => ({ base: w.content[0], method: "GET", path: `/content/${w.track.coverUploadId}/9999x9999.jpg` }), status: 400, code: "INVALID_INPUT" },
  { name: "GET /content/:uploadId/:variant with a dot-dot variant", request: (w) => ({ base: w.content[0], method: "GET", path: `/content/${w.track.coverUploadId}/..%2F..%2Fcontent-node.sqlite` }), status: 400, code: "INVALID_INPUT" },
  { name: "GET /content/:uploadId/:variant with __proto__ as variant", request: (w) => ({ base: w.content[0], method: "GET", path: `/content/${w.track.coverUploadId}/__proto__` }), status: 400, code: "INVALID_INPUT" },
  { name: "GET /content/:uploadId/:variant with a malformed upload id", request: (w) => ({ base: w.content[0], method: "GET", path: "/content/UPPER_case!/150x150.jpg" }), status: 400, code: "INVALID_INPUT" },
  { name: "GET /content/:uploadId/:variant for an upload nobody has", request: (w) => ({ base: w.content[0], method: "GET", path: `/content/${"0".repeat(32)}/150x150.jpg` }), status: 404, code: "NOT_FOUND" },
  { name: "GET /content/:uploadId/:variant with an overlong id", request: (w) => ({ base: w.content[0], method: "GET", path: `/content/${"a".repeat(65)}/150x150.jpg` }), status: 400, code: "INVALID_INPUT" },
  { name: "GET /content/:uploadId/:variant with an encoded NUL in the variant", request: (w) => ({ base: w.content[0], method: "GET", path: `/content/${w.track.coverUploadId}/150x150.jpg%00` }), status: 400, code: "INVALID_INPUT" },
  { name: "GET /uploads/:id with a malformed id", request: (w) => ({ base: w.content[0], method: "GET", path: "/uploads/%27%20OR%201%3D1" }), status: 400, code: "INVALID_INPUT" },
  { name: "GET /uploads/:id with an overlong id", request: (w) => ({ base: w.content[0], method: "GET", path: `/uploads/${"a".repeat(5000)}` }), status: 400, code: "INVALID_INPUT" },
  { name: "GET /uploads/:id with dot segments", request: (w) => ({ base: w.content[0], method: "GET", path: "/uploads/..%2F..%2Fhealth_check" }), status: 400, code: "INVALID_INPUT" },
  { name: "GET /uploads/:id for an upload that does not exist", request: (w) => ({ base: w.content[0], method: "GET", path: `/uploads/${"0".repeat(32)}` }), status: 404, code: "NOT_FOUND" },
];

const cidstream = (signature: (w: World) => Promise<string> | string, extra = "") => async (w: World): Promise<HostileRequest> => ({
  base: await holder(w, w.track.cid),
  method: "GET",
  path: `/tracks/cidstream/${w.track.cid}?signature=${encodeURIComponent(await signature(w))}${extra}`,
});
const editedSignature = (edit: (data: Record<string, unknown>, w: World) => void) => async (w: World) => {
  const env = JSON.parse(await w.streamSignature()) as { data: string; signature: string };
  const data = JSON.parse(env.data);
  edit(data, w);
  return JSON.stringify({ data: JSON.stringify(data), signature: env.signature });
};
/** Stream signatures that are missing, malformed, forged or for something else: never a byte of audio. */
const streamCases: HostileCase[] = [
  { name: "GET /tracks/cidstream/:cid without a signature", request: async (w) => ({ base: await holder(w, w.track.cid), method: "GET", path: `/tracks/cidstream/${w.track.cid}` }), status: 401, code: "UNAUTHORIZED" },
  { name: "GET /tracks/cidstream/:cid with a signature that is not JSON", request: cidstream(() => "{not json"), status: 401, code: "UNAUTHORIZED" },
  { name: "GET /tracks/cidstream/:cid with JSON null as signature", request: cidstream(() => "null"), status: 401, code: "UNAUTHORIZED" },
  { name: "GET /tracks/cidstream/:cid with signature data that is a number", request: cidstream(() => JSON.stringify({ data: "5", signature: "0x" })), status: 401, code: "UNAUTHORIZED" },
  { name: "GET /tracks/cidstream/:cid signed by a stranger", request: cidstream((w) => signStreamAccess(w.stranger, { cid: w.track.cid, timestamp: Date.now() })), status: 401, code: "UNAUTHORIZED" },
  { name: "GET /tracks/cidstream/:cid signed by a content node (not a discovery node)", request: cidstream((w) => signStreamAccess(new Wallet(w.devnet.accounts[2].privateKey), { cid: w.track.cid, timestamp: Date.now() })), status: 401, code: "UNAUTHORIZED" },
  { name: "GET /tracks/cidstream/:cid with the signed CID edited", request: cidstream(editedSignature((d, w) => (d.cid = w.track.origCid))), status: 401, code: "UNAUTHORIZED" },
  { name: "GET /tracks/cidstream/:cid with the signed track id edited", request: cidstream(editedSignature((d) => (d.trackId = 1))), status: 401, code: "UNAUTHORIZED" },
  { name: "GET /tracks/cidstream/:cid with the signature for another CID", request: async (w) => ({ base: await holder(w, w.track.origCid), method: "GET", path: `/tracks/cidstream/${w.track.origCid}?signature=${encodeURIComponent(await w.streamSignature())}` }), status: 401, code: "UNAUTHORIZED" },
  { name: "GET /tracks/cidstream/:cid with a truncated signature", request: cidstream(async (w) => (await w.streamSignature()).slice(0, -20)), status: 401, code: "UNAUTHORIZED" },
  { name: "GET /tracks/cidstream/:cid with a signature given twice", request: cidstream((w) => w.streamSignature(), "&signature=x"), status: 401, code: "UNAUTHORIZED" },
  { name: "GET /tracks/cidstream/:cid with an 8 kB signature", request: cidstream(() => JSON.stringify({ data: "{}", signature: `0x${"ab".repeat(4000)}` })), status: 401, code: "UNAUTHORIZED" },
  { name: "GET /tracks/cidstream/:cid with a valid signature and Range abuse", request: async (w) => ({ ...(await cidstream((x) => x.streamSignature())(w)), headers: { range: "bytes=5-1" } }), status: 416, code: "RANGE_NOT_SATISFIABLE" },
  { name: "HEAD /tracks/cidstream/:cid without a signature", request: async (w) => ({ base: await holder(w, w.track.cid), method: "HEAD", path: `/tracks/cidstream/${w.track.cid}` }), status: 401 },
];

const ID3_NOT_AUDIO = Buffer.concat([Buffer.from("ID3"), Buffer.alloc(200, 0x41)]);

/** Uploads that must be refused with nothing stored: the closing checks count blobs, rows and temp files. */
const uploadCases: HostileCase[] = [
  // Unsigned uploads are accepted, as on the reference node (PROTOCOL.md §8); what an unsigned caller may name is checked.
  { name: "POST /uploads with a malformed X-User-Wallet-Addr", request: upload(async () => Buffer.concat([part("template", "img_square"), part("files", await tinyPng(), "a.png"), END]), () => ({ "x-user-wallet-addr": "0xnot-a-wallet" })), status: 400, code: "INVALID_INPUT" },
  { name: "POST /uploads with a bad signature and a 30 MB body (refused before it is read)", request: upload(() => Buffer.concat([part("template", "audio"), part("files", Buffer.alloc(30 * 1024 * 1024, 0xff), "big.mp3"), END]), async (w) => ({ ...(await signRequestHeaders(w.stranger)), "x-asix-signature": "0xdeadbeef" })), status: 401, code: "UNAUTHORIZED" },
  { name: "POST /uploads as text/plain with a 30 MB body (refused before it is read)", request: async (w) => ({ base: w.content[0], method: "POST", path: "/uploads", headers: { ...(await signed(w)), "content-type": "text/plain" }, body: Buffer.alloc(30 * 1024 * 1024, 0x41) }), status: 400, code: "INVALID_INPUT" },
  { name: "POST /uploads with headers signed by another wallet", request: upload(async () => Buffer.concat([part("template", "img_square"), part("files", await tinyPng(), "a.png"), END]), async (w) => ({ ...(await signRequestHeaders(w.stranger)), "x-asix-wallet": w.artist.wallet.address })), status: 401, code: "UNAUTHORIZED" },
  { name: "POST /uploads with a signed timestamp 10 minutes old", request: upload(async () => Buffer.concat([part("template", "img_square"), part("files", await tinyPng(), "a.png"), END]), (w) => signRequestHeaders(w.stranger, Date.now() - 600_000)), status: 401, code: "UNAUTHORIZED" },
  { name: "POST /uploads with a signed timestamp in the future", request: upload(async () => Buffer.concat([part("template", "img_square"), part("files", await tinyPng(), "a.png"), END]), (w) => signRequestHeaders(w.stranger, Date.now() + 600_000)), status: 401, code: "UNAUTHORIZED" },
  { name: "POST /uploads with timestamp=NaN", request: upload(async () => END, async (w) => ({ ...(await signRequestHeaders(w.stranger)), "x-asix-timestamp": "NaN" })), status: 401, code: "UNAUTHORIZED" },
  { name: "POST /uploads with a garbage signature header", request: upload(async () => END, async (w) => ({ ...(await signRequestHeaders(w.stranger)), "x-asix-signature": "0xdeadbeef" })), status: 401, code: "UNAUTHORIZED" },
  { name: "POST /uploads as application/json", request: async (w) => ({ base: w.content[0], method: "POST", path: "/uploads", headers: { ...(await signed(w)), "content-type": "application/json" }, body: "{\"template\":\"audio\"}" }), status: 400, code: "INVALID_INPUT" },
  { name: "POST /uploads as multipart without a boundary", request: async (w) => ({ base: w.content[0], method: "POST", path: "/uploads", headers: { ...(await signed(w)), "content-type": "multipart/form-data" }, body: "x" }), status: 400, code: "INVALID_INPUT" },
  { name: "POST /uploads with no file part", request: upload(() => Buffer.concat([part("template", "img_square"), END])), status: 400, code: "INVALID_INPUT" },
  { name: "POST /uploads with the file under another field name", request: upload(async () => Buffer.concat([part("template", "img_square"), part("file", await tinyPng(), "a.png"), END])), status: 400, code: "INVALID_INPUT" },
  { name: "POST /uploads without a template", request: upload(async () => Buffer.concat([part("files", await tinyPng(), "a.png"), END])), status: 400, code: "INVALID_INPUT" },
  { name: "POST /uploads with an unknown template", request: upload(async () => Buffer.concat([part("template", "video"), part("files", await tinyPng(), "a.png"), END])), status: 400, code: "INVALID_INPUT" },
  { name: "POST /uploads with template=__proto__", request: upload(async () => Buffer.concat([part("template", "__proto__"), part("files", await tinyPng(), "a.png"), END])), status: 400, code: "INVALID_INPUT" },
  { name: "POST /uploads with an empty file", request: upload(() => Buffer.concat([part("template", "img_square"), part("files", "", "a.png"), END])), status: 400, code: "INVALID_INPUT" },
  { name: "POST /uploads with text as an image", request: upload(() => Buffer.concat([part("template", "img_square"), part("files", "hello, this is not a picture at all, just words".repeat(4), "a.png", "image/png"), END])), status: 415, code: "UNSUPPORTED_MEDIA" },
  { name: "POST /uploads with a PNG as audio", request: upload(async () => Buffer.concat([part("template", "audio"), part("files", Buffer.concat([await tinyPng(), Buffer.alloc(64)]), "a.mp3", "audio/mpeg"), END])), status: 415, code: "UNSUPPORTED_MEDIA" },
  { name: "POST /uploads with a truncated PNG", request: upload(async () => Buffer.concat([part("template", "img_square"), part("files", (await tinyPng()).subarray(0, 70), "a.png"), END])), status: 415, code: "UNSUPPORTED_MEDIA" },
  { name: "POST /uploads with an ID3 tag and no audio", request: upload(() => Buffer.concat([part("template", "audio"), part("files", ID3_NOT_AUDIO, "a.mp3"), END])), status: [415, 422], code: undefined },
  { name: "POST /uploads with a path-traversal filename and a text body", request: upload(() => Buffer.concat([part("template", "img_square"), part("files", "x".repeat(100), "../../../../etc/passwd"), END])), status: 415, code: "UNSUPPORTED_MEDIA" },
  { name: "POST /uploads with 40 form fields", request: upload(() => Buffer.concat([...Array.from({ length: 40 }, (_, i) => part(`f${i}`, "v")), END])), status: [400, 413] },
  { name: "POST /uploads with a 2 kB template field", request: upload(async () => Buffer.concat([part("template", "a".repeat(2048)), part("files", await tinyPng(), "a.png"), END])), status: 400, code: "INVALID_INPUT" },
  { name: "POST /uploads with gzip-encoded multipart", request: upload(async () => gzipSync(Buffer.concat([part("template", "img_square"), part("files", await tinyPng(), "a.png"), END]))), status: [400, 415] },
  { name: "POST /uploads with a 26 MB image (over the image limit)", request: upload(async () => Buffer.concat([part("template", "img_square"), part("files", Buffer.concat([await tinyPng(), Buffer.alloc(26 * 1024 * 1024)]), "big.png"), END])), status: 413, code: "PAYLOAD_TOO_LARGE" },
  { name: "POST /uploads with a bad previewStartSeconds and no audio", request: upload(() => Buffer.concat([part("template", "audio"), part("previewStartSeconds", "NaN"), part("files", ID3_NOT_AUDIO, "a.mp3"), END])), status: [400, 415, 422] },
  { name: "POST /uploads with a PNG that declares 60000x60000 pixels (pixel bomb)", request: upload(() => Buffer.concat([part("template", "img_square"), part("files", pixelBombPng(), "bomb.png", "image/png"), END])), status: 415, code: "UNSUPPORTED_MEDIA" },
  { name: "POST /uploads whose body uses another boundary than its header", request: upload(async () => Buffer.from(Buffer.concat([part("template", "img_square"), part("files", await tinyPng(), "a.png"), END]).toString("latin1").replaceAll(BOUNDARY, "otherboundary"), "latin1")), status: 400, code: "INVALID_INPUT" },
  { name: "POST /uploads with a part that has no Content-Disposition", request: upload(async () => Buffer.concat([Buffer.from(`--${BOUNDARY}\r\nContent-Type: image/png\r\n\r\n`), await tinyPng(), Buffer.from("\r\n"), END])), status: 400, code: "INVALID_INPUT" },
  { name: "POST /uploads with a file part that has no name", request: upload(async () => Buffer.concat([Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; filename="a.png"\r\n\r\n`), await tinyPng(), Buffer.from("\r\n"), END])), status: 400, code: "INVALID_INPUT" },
  { name: "POST /uploads with a 1 MB part header line", request: upload(async () => Buffer.concat([Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="${"f".repeat(1_000_000)}"\r\n\r\n`), await tinyPng(), Buffer.from("\r\n"), END])), status: [400, 413] },
  ...["-1", "NaN", "1e309", "30", "0x10", "1,5"].map((start) => ({
    name: `POST /uploads of real audio with previewStartSeconds=${start}`,
    request: upload((w) => Buffer.concat([part("template", "audio"), part("previewStartSeconds", start), part("files", w.mp3, "tone.mp3", "audio/mpeg"), END])),
    status: 400,
    code: "INVALID_INPUT",
  })),
  { name: "PUT /uploads", request: (w) => ({ base: w.content[0], method: "PUT", path: "/uploads", body: "x" }), status: [404, 405] },
  // busboy emitted "Unexpected end of form" where nobody listened: an uncaught exception that took
  // down a content node running as its own process.
  {
    name: "POST /uploads whose multipart body ends before its closing boundary",
    request: upload(async () => Buffer.concat([part("template", "img_square"), Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="a.png"\r\n\r\n`), (await tinyPng()).subarray(0, 20)])),
    status: 400,
    code: "INVALID_INPUT",
  },
  // busboy's files limit dropped the second part silently: the first was stored and answered 200.
  {
    name: "POST /uploads with two file parts stores nothing",
    request: upload(async () => Buffer.concat([part("template", "img_square"), part("files", await tinyPng(), "a.png"), part("files", await tinyPng(), "b.png"), END]), undefined, 1),
    status: 400,
    code: "INVALID_INPUT",
  },
];

/** Peer endpoints: a CID that is not one, bytes that do not hash to their CID. */
const internalCases: HostileCase[] = [
  // Peer routes answer only a registered content node's signed request (peerAuth.test.ts has the
  // signed cases); anyone else is refused before the CID is looked at or a body byte is read.
  { name: "unsigned HEAD /internal/blobs/:cid with a malformed CID", request: (w) => ({ base: w.content[0], method: "HEAD", path: "/internal/blobs/..%2F..%2Fetc" }), status: [400, 401] },
  { name: "unsigned HEAD /internal/blobs/:cid for a CID nobody holds", request: (w) => ({ base: w.content[0], method: "HEAD", path: `/internal/blobs/${CID_V0_UNKNOWN}` }), status: 401 },
  { name: "unsigned PUT /internal/blobs/:cid with a malformed CID", request: (w) => ({ base: w.content[0], method: "PUT", path: "/internal/blobs/not-a-cid", body: "x" }), status: 401, code: "UNAUTHORIZED" },
  { name: "PUT /internal/blobs/:cid with dot segments", request: (w) => ({ base: w.content[0], method: "PUT", path: "/internal/blobs/../../uploads", body: "x" }), status: [400, 401, 404] },
  { name: "unsigned PUT /internal/blobs/:cid with bytes that hash to another CID (every node)", request: async (w) => {
      const owner = replicaSet(w.content, CID_V0_UNKNOWN, 2)[0];
      return { base: owner, method: "PUT", path: `/internal/blobs/${CID_V0_UNKNOWN}`, body: Buffer.alloc(1000, 7) };
    }, status: 401, code: "UNAUTHORIZED" },
  { name: "unsigned PUT /internal/blobs/:cid with a 30 MB body (refused before it is read)", request: (w) => ({ base: w.content[0], method: "PUT", path: `/internal/blobs/${CID_V0_UNKNOWN}`, body: Buffer.alloc(30 * 1024 * 1024, 1) }), status: 401, code: "UNAUTHORIZED" },
  { name: "unsigned PUT /internal/blobs/:cid with an encoded NUL", request: (w) => ({ base: w.content[0], method: "PUT", path: `/internal/blobs/${CID_V0_UNKNOWN}%00`, body: "x" }), status: [400, 401] },
  { name: "unsigned POST /internal/blobs (holdings query)", request: (w) => ({ base: w.content[0], method: "POST", path: "/internal/blobs", headers: { "content-type": "application/json" }, body: JSON.stringify({ cids: [CID_V0_UNKNOWN] }) }), status: 401, code: "UNAUTHORIZED" },
];

export const CONTENT_NODE_CASES: HostileCase[] = [
  ...badCidCases, ...rangeCases, ...headerCases, ...pathCases, ...variantCases, ...streamCases, ...uploadCases, ...internalCases,
];
