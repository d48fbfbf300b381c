import type { Request, RequestHandler, Response } from "express";
import { cidV0OfMultihash, parseCid, unixfsLeafFrame, type ParsedCid } from "../../../sdk/cid";
import { AsixError } from "../../../sdk/errors";
import type { NodeContext } from "./context";
import { BlobUnavailable, type OpenBlob } from "./integrity";
import { carBlockPrefix, carHeader } from "./ipfsCar";
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

export function ipfsGateway(ctx: NodeContext): RequestHandler {
  return async (req, res, next) => {
    // The same URL answers a blob, a block or a CAR depending on Accept: caches must key on it.
    res.vary("Accept");
    const format = requestedIpfsFormat(req);
    if (!format) return next();
    const text = String(req.params.cid);
    const parsed = parseCid(text);
    if (!parsed) throw new AsixError("INVALID_INPUT", "malformed CID (a CIDv0 Qm…, or a CIDv1 in base32 b…)");
    const cid: Cid = { ...parsed, text };
    if (text === IDENTITY_PROBE) return answerProbe(req, res, cid, format);
    const { multihash } = cid;
    if (multihash.length !== 34 || multihash[0] !== SHA2_256 || multihash[1] !== 32 || (cid.codec !== DAG_PB && cid.codec !== RAW_CODEC)) {
      throw new AsixError("NOT_FOUND", "this node holds only sha2-256 dag-pb (UnixFS) blocks");
    }
    const etag = format.kind === "raw" ? `${text}.raw` : `${text}.car.${format.scope}.dups-${format.dups ? "y" : "n"}`;
    if (matchesEtag(req.headers["if-none-match"], etag) && ctx.db.blobsWithBlock(multihash).some((b) => ctx.store.get(b))) {
      res.writeHead(304, { etag: `"${etag}"`, "cache-control": IMMUTABLE }).end();
      return;
    }
    const found = await openBlock(ctx, multihash);
    if (found) {
      try {
        const headers = commonHeaders(req, cid, format, etag);
        const sent = format.kind === "raw" ? await sendBlock(ctx, req, res, found, headers) : await sendCar(ctx, req, res, found, cid, format, headers);
        if (sent) return;
      } finally {
        await ctx.reader.close(found.blob);
      }
    }
    // Peers know blobs by their CIDv0: a blob's root (in any CID version) can be found on them.
    if (await redirectToHolder(ctx, req, res, cidV0OfMultihash(multihash))) return;
    throw new AsixError("NOT_FOUND", `block ${text} is not on this node${req.query.noredirect === undefined ? " nor its peers" : ""}`);
  };
}

/** A parsed CID with the text it was asked for by (echoed in ETag and file name). */
type Cid = ParsedCid & { text: string };

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
    "content-disposition": `attachment; filename="${cid.text}.${format.kind === "raw" ? "bin" : "car"}"`,
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
 * their parents link them by), written as the socket drains, so at most one block is in memory.
 * False (nothing sent) when the first block fails its check.
 */
async function sendCar(ctx: NodeContext, req: Request, res: Response, found: FoundBlock, cid: Cid, format: IpfsFormat & { kind: "car" }, headers: Record<string, string>): Promise<boolean> {
  if (req.method === "HEAD") {
    res.writeHead(200, headers).end();
    return true;
  }
  const { reader } = ctx;
  const whole = format.scope !== "block" && cid.codec === DAG_PB;
  let blocks: AsyncGenerator<DagBlock>;
  let next: IteratorResult<DagBlock>;
  try {
    blocks = whole ? dagBlocks(reader, found.blob, found.at, format.dups) : just({ multihash: found.at.node.multihash, bytes: await blockAt(reader, found.blob, found.at) });
    next = await blocks.next();
  } catch (err) {
    if (err instanceof BlobUnavailable) return false;
    throw err;
  }
  res.writeHead(200, headers);
  const write = async (chunk: Buffer) => {
    if (ctx.faults.shapesBodies) await ctx.faults.write(res, chunk);
    else if (!res.write(chunk)) await drained(res);
  };
  try {
    await write(carHeader(cid.bytes));
    for (let root = true; !next.done && !res.destroyed; next = await blocks.next(), root = false) {
      const { multihash, bytes } = next.value;
      await write(carBlockPrefix(root ? cid.bytes : multihash, bytes.length));
      await write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    }
    res.end();
  } catch {
    res.destroy(); // a block failed its check after the headers went out: cut the CAR short
  } finally {
    await blocks.return(undefined);
  }
  return true;
}

/** `bafkqaaa`: an empty raw block, or a CAR whose only root is it (identity blocks are never sent). */
function answerProbe(req: Request, res: Response, cid: Cid, format: IpfsFormat): void {
  const headers = commonHeaders(req, cid, format, format.kind === "raw" ? `${cid.text}.raw` : `${cid.text}.car`);
  const body = format.kind === "raw" ? Buffer.alloc(0) : carHeader(cid.bytes);
  headers["content-length"] = String(body.length);
  res.writeHead(200, headers).end(req.method === "HEAD" ? undefined : body);
}
