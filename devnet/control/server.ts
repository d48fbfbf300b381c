import express, { type RequestHandler, type Router } from "express";
import { AsixError } from "../../sdk/errors";
import { errorHandler, listen, notFoundRoute, type Logger, type RunningServer } from "../services/http";

/**
 * The supervisor's control API: what `asix devnet status|node|snapshot|time` ask a running devnet
 * to do. Each feature brings its own express Router; this server only guards and hosts them.
 * It listens on 127.0.0.1 and answers only requests that name a loopback host and carry no
 * browser Origin, so neither another machine nor a web page the user visits can drive the devnet
 * (a page could otherwise POST to 127.0.0.1, or reach it through DNS rebinding).
 */
export async function startControlServer(opts: { port?: number; routers: Router[]; log?: Logger }): Promise<RunningServer> {
  const app = express();
  app.disable("x-powered-by");
  app.use(localOnly);
  app.use(express.json({ limit: "64kb" }));
  for (const router of opts.routers) app.use(router);
  app.use(notFoundRoute);
  app.use(errorHandler(opts.log));
  return listen(app, opts.port ?? 0);
}

const LOOPBACK_HOST = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/i;

const localOnly: RequestHandler = (req, _res, next) => {
  if (req.headers.origin !== undefined) return next(new AsixError("UNAUTHORIZED", "the devnet control API does not answer browsers"));
  if (!LOOPBACK_HOST.test(req.headers.host ?? "")) return next(new AsixError("UNAUTHORIZED", "the devnet control API answers only 127.0.0.1"));
  next();
};
