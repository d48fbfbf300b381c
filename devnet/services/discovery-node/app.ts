import type http from "node:http";
import express, { type Express } from "express";
import { corsHandler } from "../cors";
import { errorHandler, notFoundRoute } from "../http";
import { lookupCached, type NodeState } from "./respond";
import { playlistsRouter } from "./routes/playlists";
import { recentRouter } from "./routes/recent";
import { idsRouter, systemRouter } from "./routes/system";
import { tracksRouter } from "./routes/tracks";
import { usersRouter } from "./routes/users";

/** The discovery node's express app (no listen): §6 under /v1 and its /v1/full twin. */
export function createApp(state: NodeState): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.set("query parser", "simple");
  app.use(corsHandler(state.corsOrigins));

  // unclaimed_id routes first (they would otherwise parse as ids); tracks next, the hottest path
  const v1 = express.Router();
  v1.use(idsRouter(state));
  v1.use(recentRouter(state));
  v1.use(tracksRouter(state));
  v1.use(usersRouter(state));
  v1.use(playlistsRouter(state));
  app.use("/v1/full", v1);
  app.use("/v1", v1);
  app.use(systemRouter(state));

  app.use(notFoundRoute);
  app.use(errorHandler(state.log));
  return app;
}

/**
 * The node's request listener: a cached GET (an entity by id, trending) is answered straight from
 * the response cache, byte for byte what express would send; everything else goes to express.
 */
export function createRequestListener(state: NodeState, app: Express = createApp(state)): http.RequestListener {
  const cors = corsHandler(state.corsOrigins);
  return (req, res) => {
    if (req.method === "GET" && req.url && req.url.startsWith("/v1/") && !req.url.startsWith("/v1/full/")) {
      const body = lookupCached(state, req.url);
      if (body !== undefined) {
        // A GET is never a preflight, so the CORS handler only sets its headers and goes on, synchronously.
        cors(req, res, () => undefined);
        res.writeHead(200, {
          "content-type": "application/json; charset=utf-8",
          "content-length": Buffer.byteLength(body),
        });
        res.end(body);
        return;
      }
    }
    app(req as express.Request, res as express.Response);
  };
}
