import type http from "node:http";
import express, { type RequestHandler } from "express";
import { corsHandler } from "../cors";
import { drainRefusedBody, errorHandler, notFoundRoute } from "../http";
import type { NodeContext } from "./context";
import { healthCheck } from "./health";
import { blobHoldings, headInternalBlob, receiveInternalBlob } from "./replication";
import { requirePeer } from "./peerAuth";
import { serveCid, serveStream, serveVariant } from "./serve";
import { ipfsGateway } from "./ipfsGateway";
import { changeUpload, getUpload, postUploads } from "./uploads";
import { identifyUploader, requireSignedCaller } from "./uploadAuth";
import { limitUploads } from "./uploadLimits";
import { requireStreamSignature } from "./streamAuth";
import { withFastStreamRoute } from "./streamRoute";

/**
 * The content node's request listener (no listen): routes of PROTOCOL.md §5 plus the peer-only
 * /internal, in express, with the stream route's fast path in front (streamRoute.ts).
 */
export function createContentNodeApp(ctx: NodeContext): http.RequestListener {
  const app = express();
  const cors = corsHandler(ctx.settings.corsOrigins);
  app.disable("x-powered-by");
  app.disable("etag");
  app.set("query parser", "simple");
  // A node put into a fault (devnet `node pause|slow`) holds everything, preflights included.
  app.use(ctx.faults.middleware);
  // Then: a preflight is answered before any limit, signature check or body read.
  app.use(cors);

  // Limits first: a refused client costs no signature check and no body read.
  app.post("/uploads", limitUploads(ctx), identifyUploader(ctx), postUploads(ctx));
  app.get("/uploads/:id", getUpload(ctx));
  app.post("/uploads/:id", requireSignedCaller(ctx), express.json({ limit: "4kb" }), express.urlencoded({ extended: false, limit: "4kb" }), changeUpload(ctx));

  app.get("/content/:cid", serveCid(ctx));
  app.head("/content/:cid", serveCid(ctx));
  // /ipfs/:cid is also an IPFS Trustless Gateway: a block or a CAR when asked for, else the blob.
  app.get("/ipfs/:cid", ipfsGateway(ctx), serveCid(ctx));
  app.head("/ipfs/:cid", ipfsGateway(ctx), serveCid(ctx));
  app.get("/content/:uploadId/:variant", serveVariant(ctx));
  app.head("/content/:uploadId/:variant", serveVariant(ctx));
  app.get("/tracks/cidstream/:cid", requireStreamSignature(ctx), serveStream(ctx));
  app.head("/tracks/cidstream/:cid", requireStreamSignature(ctx), serveStream(ctx));

  app.head("/internal/blobs/:cid", requirePeer(ctx), headInternalBlob(ctx));
  app.put("/internal/blobs/:cid", requirePeer(ctx), receiveInternalBlob(ctx));
  app.post("/internal/blobs", requirePeer(ctx), express.json({ limit: "512kb" }), blobHoldings(ctx));

  app.get("/health_check", healthCheck(ctx));

  // Anything else under a blob path (e.g. dot segments or extra slashes) is a malformed request.
  const badPath: RequestHandler = (req, res) => {
    drainRefusedBody(req);
    res.status(400).json({ error: { code: "INVALID_INPUT", message: `malformed path ${req.path.slice(0, 200)}` } });
  };
  app.use(["/content", "/ipfs", "/tracks/cidstream", "/internal/blobs"], badPath);
  app.use(notFoundRoute);
  app.use(errorHandler(ctx.settings.log));
  return withFastStreamRoute(ctx, cors, app);
}
