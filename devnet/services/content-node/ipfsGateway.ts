import type { Request, RequestHandler, Response } from "express";
import { unixfsLeafFrame } from "../../../sdk/cid";
import { AsixError } from "../../../sdk/errors";
import type { NodeContext } from "./context";
import { BlobUnavailable, type OpenBlob } from "./integrity";
import { blockAt, dagBlocks, locateBlock, type DagBlock, type DagPosition } from "./ipfsDag";
import { CAR_TYPE, RAW_TYPE, requestedIpfsFormat, type IpfsFormat } from "./ipfsFormat";
import { IMMUTABLE, drained, matchesEtag, redirectToHolder } from "./serve";

/**
 * `/ipfs/:cid` as an IPFS Trustless Gateway (https://specs.ipfs.tech/http-gateways/trustless-gateway/):
 * `?format=raw` / `Accept: application/vnd.ipld.raw` answers the one block whose multihash the CID
 * names (the root of a blob's DAG, or any parent or leaf below it, found through ipfsIndex.ts);
 * `?format=car` / `Accept: application/vnd.ipld.car` streams the DAG below it as a CARv1 in
 * depth-first order, one leaf read at a time. So any verifying IPFS client can fetch a blob from
 * us and check every block. Without either, the request goes on to the plain blob read (serve.ts).
 *
 * Blocks come from the blob reader, so a damaged copy is never sent: if the first block fails,
 * the client is redirected to a peer holding the blob (as for a plain read); a later one cuts
 * the CAR short, which a verifying client sees as an incomplete DAG.
 */

const SHA2_256 = 0x12;
const DAG_PB = 0x70;
const RAW_CODEC = 0x55;
/** The empty identity CID, which clients use to probe for a trustless gateway. */
const IDENTITY_PROBE = "bafkqaaa";

/**
 * @ipld/car (CarWriter) and multiformats are ESM-only; the content node is built to CommonJS, so
 * they are loaded once by dynamic import, which Node 20 allows from CommonJS.
 */
const loadIpld = async () => {
  const [car, cid, digest] = await Promise.all([import("@ipld/car/writer"), import("multiformats/cid"), import("multiformats/hashes/digest")]);
  // Every multihash we index is sha2-256 (checked on the way in), which is what CIDv0 requires.
  const v0 = (multihash: Uint8Array) => cid.CID.createV0(digest.decode(multihash) as Parameters<typeof cid.CID.createV0>[0]);
  return { CarWriter: car.CarWriter, CID: cid.CID, v0 };
};
type Ipld = Awaited<ReturnType<typeof loadIpld>>;
type Cid = ReturnType<Ipld["CID"]["parse"]>;
let ipld: Promise<Ipld> | undefined;

export function ipfsGateway(ctx: NodeContext): RequestHandler {
  return async (req, res, next) => {
    // The same URL answers a blob, a block or a CAR depending on Accept: caches must key on it.
    res.vary("Accept");
    const format = requestedIpfsFormat(req);
    if (!format) return next();
    const lib = await (ipld ??= loadIpld());
    const text = String(req.params.cid);
    let cid: Cid;
    try {
      cid = lib.CID.parse(text);
    } catch {
      throw new AsixError("INVALID_INPUT", "malformed CID");
    }
    if (text === IDENTITY_PROBE) return answerProbe(lib, req, res, cid, format);
    if (cid.multihash.code !== SHA2_256 || cid.multihash.size !== 32 || (cid.code !== DAG_PB && cid.code !== RAW_CODEC)) {
      throw new AsixError("NOT_FOUND", "this node holds only sha2-256 dag-pb (UnixFS) blocks");
    }
    const multihash = cid.multihash.bytes;
    const etag = format.kind === "raw" ? `${cid}.raw` : `${cid}.car.${format.scope}.dups-${format.dups ? "y" : "n"}`;
    if (matchesEtag(req.headers["if-none-match"], etag) && ctx.db.blobsWithBlock(multihash).some((b) => ctx.store.get(b))) {
      res.writeHead(304, { etag: `"${etag}"`, "cache-control": IMMUTABLE }).end();
      return;
    }
    const found = await openBlock(ctx, multihash);
    if (found) {
      try {
        const headers = commonHeaders(req, cid, format, etag);
        const sent = format.kind === "raw" ? await sendBlock(ctx, req, res, found, headers) : await sendCar(ctx, lib, req, res, found, cid, format, headers);
        if (sent) return;
      } finally {
        await ctx.reader.close(found.blob);
      }
    }
    // Peers know blobs by their CIDv0: a blob's root (in any CID version) can be found on them.
    if (await redirectToHolder(ctx, req, res, lib.v0(multihash).toString())) return;
    throw new AsixError("NOT_FOUND", `block ${text} is not on this node${req.query.noredirect === undefined ? " nor its peers" : ""}`);
  };
}

interface FoundBlock {
  blob: OpenBlob;
  at: DagPosition;
}

/** Open a held blob whose DAG has this block (the caller closes it). */
async function openBlock(ctx: NodeContext, multihash: Uint8Array): Promise<FoundBlock | undefined> {
  for (const blobCid of ctx.db.blobsWithBlock(multihash)) {
    const blob = await ctx.reader.open(blobCid).catch((err) => {
      if (err instanceof BlobUnavailable) return undefined; // quarantined already: try another blob
      throw err;
    });
    if (!blob) continue;
    const at = locateBlock(blob, multihash);
    if (at) return { blob, at };
    await ctx.reader.close(blob);
  }
  return undefined;
}

function commonHeaders(req: Request, cid: Cid, format: IpfsFormat, etag: string): Record<string, string> {
  const headers: Record<string, string> = {
    etag: `"${etag}"`,
    "cache-control": IMMUTABLE,
    "x-content-type-options": "nosniff",
    "content-disposition": `attachment; filename="${cid}.${format.kind === "raw" ? "bin" : "car"}"`,
  };
  if (format.fromAccept) headers["content-location"] = `${req.baseUrl}${req.path}?format=${format.kind}`;
  if (format.kind === "raw") headers["content-type"] = RAW_TYPE;
  else headers["content-type"] = `${CAR_TYPE}; version=1; order=dfs; dups=${format.dups ? "y" : "n"}`;
  return headers;
}

const blockLength = (at: DagPosition) => {
  if (at.node.block) return at.node.block.length;
  const { prefix, suffix } = unixfsLeafFrame(at.node.fileSize);
  return prefix.length + at.node.fileSize + suffix.length;
};

/** One block; false (nothing sent) when its bytes fail their check, so the caller looks elsewhere. */
async function sendBlock(ctx: NodeContext, req: Request, res: Response, found: FoundBlock, headers: Record<string, string>): Promise<boolean> {
  headers["content-length"] = String(blockLength(found.at));
  if (req.method === "HEAD") {
    res.writeHead(200, headers).end();
    return true;
  }
  let bytes: Uint8Array;
  try {
    bytes = await blockAt(ctx.reader, found.blob, found.at);
  } catch (err) {
    if (err instanceof BlobUnavailable) return false;
    throw err;
  }
  res.writeHead(200, headers).end(bytes);
  return true;
}

async function* just(block: DagBlock): AsyncGenerator<DagBlock> {
  yield block;
}

/**
 * The DAG below the block as a CARv1 whose root is the CID asked for (children under the CIDv0
 * their parents link them by). CarWriter's `put` resolves once its bytes are taken, and we take
 * them only as fast as the socket drains, so at most one block is in memory. False (nothing sent)
 * when the first block fails its check.
 */
async function sendCar(ctx: NodeContext, lib: Ipld, req: Request, res: Response, found: FoundBlock, cid: Cid, format: IpfsFormat & { kind: "car" }, headers: Record<string, string>): Promise<boolean> {
  if (req.method === "HEAD") {
    res.writeHead(200, headers).end();
    return true;
  }
  const { reader } = ctx;
  const whole = format.scope !== "block" && cid.code === DAG_PB;
  let blocks: AsyncGenerator<DagBlock>;
  let first: IteratorResult<DagBlock>;
  try {
    blocks = whole ? dagBlocks(reader, found.blob, found.at, format.dups) : just({ multihash: found.at.node.multihash, bytes: await blockAt(reader, found.blob, found.at) });
    first = await blocks.next();
  } catch (err) {
    if (err instanceof BlobUnavailable) return false;
    throw err;
  }
  res.writeHead(200, headers);
  const { writer, out } = lib.CarWriter.create([cid]);
  let stopped = false;
  const produce = (async () => {
    try {
      for (let next = first, root = true; !next.done && !stopped; next = await blocks.next(), root = false) {
        await writer.put({ cid: root ? cid : lib.v0(next.value.multihash), bytes: next.value.bytes });
      }
    } finally {
      await blocks.return(undefined);
      await writer.close();
    }
  })();
  produce.catch(() => undefined); // awaited below
  for await (const bytes of out) {
    // After the client has gone, keep taking (and dropping) bytes so the producer wakes and stops.
    if (stopped) continue;
    if (res.destroyed) {
      stopped = true;
      continue;
    }
    const chunk = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (ctx.faults.shapesBodies) await ctx.faults.write(res, chunk);
    else if (!res.write(chunk)) await drained(res);
  }
  try {
    await produce;
    res.end();
  } catch {
    res.destroy(); // a block failed its check after the headers went out: cut the CAR short
  }
  return true;
}

/** `bafkqaaa`: an empty raw block, or a CAR whose only root is it (identity blocks are never sent). */
async function answerProbe(lib: Ipld, req: Request, res: Response, cid: Cid, format: IpfsFormat): Promise<void> {
  const headers = commonHeaders(req, cid, format, format.kind === "raw" ? `${cid}.raw` : `${cid}.car`);
  if (format.kind === "raw" || req.method === "HEAD") {
    if (format.kind === "raw") headers["content-length"] = "0";
    res.writeHead(200, headers).end();
    return;
  }
  const { writer, out } = lib.CarWriter.create([cid]);
  const closed = writer.close();
  const chunks: Uint8Array[] = [];
  for await (const bytes of out) chunks.push(bytes);
  await closed;
  res.writeHead(200, headers).end(Buffer.concat(chunks));
}
