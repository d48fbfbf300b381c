import type http from "node:http";
import querystring from "node:querystring";
import { isCid } from "../../../sdk/cid";
import type { StreamAccess } from "../../../sdk/signatures";
import type { CorsHandler } from "../cors";
import type { NodeContext } from "./context";
import { reportPlay } from "./plays";
import { answerFromCopy } from "./serve";
import { handStreamAccessOn, verifyStreamParam } from "./streamAuth";

const PREFIX = "/tracks/cidstream/";
/** The route's name in the request metrics, as express names it. */
const ROUTE = "/tracks/cidstream/:cid";

/**
 * `GET|HEAD /tracks/cidstream/:cid` answered straight from node:http, ahead of express: a player
 * sends one such request per Range, and express's router, its request and response set-up and the
 * middleware chain cost more main-thread time per request than the answer itself (profiles of the
 * 1 MB-range bench, issue 15).
 *
 * It answers only what it can answer in full, with the same headers (CORS included) and bytes:
 * a signature that verifies, a blob held here, a satisfiable Range. Everything else (a fault in
 * force, a path or query express would treat differently, a refused signature, a blob that is not
 * here or fails its check, an unsatisfiable Range) goes to express before anything is sent, and
 * express answers it exactly as before; the signature's verification is handed on, not repeated.
 */
export function withFastStreamRoute(ctx: NodeContext, cors: CorsHandler, app: http.RequestListener): http.RequestListener {
  return (req, res) => {
    const url = req.url ?? "";
    if ((req.method !== "GET" && req.method !== "HEAD") || !url.startsWith(PREFIX) || ctx.faults.current !== undefined) return app(req, res);
    fastStream(ctx, cors, req, res).then(
      (answered) => answered || handOver(req, res, app),
      () => (res.headersSent ? res.destroy() : handOver(req, res, app)),
    );
  };
}

type Routed = http.IncomingMessage & { route?: { path: string } };

function handOver(req: Routed, res: http.ServerResponse, app: http.RequestListener): void {
  delete req.route; // express sets its own, or none
  app(req, res);
}

async function fastStream(ctx: NodeContext, cors: CorsHandler, req: Routed, res: http.ServerResponse): Promise<boolean> {
  const url = req.url!;
  const q = url.indexOf("?");
  const cid = url.slice(PREFIX.length, q < 0 ? undefined : q);
  if (!isCid(cid)) return false;
  // The query as express's "simple" parser (querystring) reads it, repeated keys included.
  const signature = querystring.parse(q < 0 ? "" : url.slice(q + 1)).signature;
  let access: StreamAccess;
  try {
    access = await verifyStreamParam(ctx, signature, cid);
  } catch (error) {
    handStreamAccessOn(req, { error });
    return false;
  }
  handStreamAccessOn(req, { access });
  // CORS headers are set with setHeader, so express setting them again after a hand-over changes nothing.
  await new Promise<void>((resolve, reject) => cors(req, res, (err) => (err ? reject(err) : resolve())));
  req.route = { path: ROUTE };
  const outcome = await answerFromCopy(ctx, req, res, cid, (fromZero) => {
    if (fromZero && req.method === "GET") reportPlay(ctx, access);
  });
  return outcome === "answered";
}
