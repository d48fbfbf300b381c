import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import type { ErrorRequestHandler, Express, Request, RequestHandler } from "express";
import { AsixError, HTTP_STATUS_OF } from "../../sdk/errors";
import { requestIdOf, type Logger } from "./node-runtime/logging";
import { routeOf, type ServiceMetrics } from "./node-runtime/metrics";
import type { TlsMaterial } from "./node-runtime/tls";

export { createLogger, type Logger } from "./node-runtime/logging";

/**
 * What every service shares at the HTTP edge: errors answered as JSON `{error:{code,message}}`
 * with the right status, a 404 for unknown routes, and a listen/close that leaves no socket open.
 */

export function jsonError(code: AsixError["code"], message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

/** How much of a refused request's unread body a service reads and drops so its client hears the answer. */
export const REFUSED_BODY_DRAIN_BYTES = 64 * 1024 * 1024;

/**
 * A request refused before its body was read (401, 413, 415, 429, …): keep reading and dropping the
 * rest, up to a bound, so the client finishes sending and reads the status and JSON error. Closing
 * with bytes unread makes the kernel answer them with a reset, which the client sees as "socket
 * hang up", often losing the answer with it (PROTOCOL.md §8). For a `Connection: close` request
 * Node closes right after the answer, so the close waits (after the answer's FIN) until the body
 * is drained. Past the bound the socket is dropped: by then the answer has long been sent.
 */
export function drainRefusedBody(req: Request, maxBytes = REFUSED_BODY_DRAIN_BYTES): void {
  if (req.complete || req.destroyed) return;
  const socket = req.socket;
  let dropped = 0;
  req.on("data", (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > maxBytes) socket.destroy();
  });
  req.on("error", () => undefined);
  const destroySoon = socket.destroySoon;
  socket.destroySoon = function lingeringClose(this: typeof socket) {
    if (req.complete) return destroySoon.call(this);
    this.end();
    req.once("end", () => this.destroy());
  };
  req.resume();
}

/** Unknown routes: JSON 404, not express's HTML page. */
export const notFoundRoute: RequestHandler = (req, res) => {
  drainRefusedBody(req);
  res.status(404).json(jsonError("NOT_FOUND", `no route for ${req.method} ${req.path}`));
};

/** The last middleware of every app. Never lets an error crash the process or leak a stack. */
export function errorHandler(log: (msg: string, fields?: Record<string, unknown>) => void = () => {}): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let status: number;
    let body: ReturnType<typeof jsonError>;
    if (err instanceof AsixError) {
      status = HTTP_STATUS_OF[err.code];
      body = jsonError(err.code, err.message);
    } else if (err?.type === "entity.parse.failed") {
      status = 400;
      body = jsonError("INVALID_INPUT", "request body is not valid JSON");
    } else if (err?.type === "entity.too.large") {
      status = 413;
      body = jsonError("PAYLOAD_TOO_LARGE", "request body too large");
    } else if (clientErrorStatus(err) !== undefined) {
      // The router (a path that does not percent-decode) and body-parser (an unknown charset or
      // content-encoding, a body that does not inflate) say what the client did wrong: pass it on.
      status = clientErrorStatus(err)!;
      body = jsonError(status === 413 ? "PAYLOAD_TOO_LARGE" : status === 415 ? "UNSUPPORTED_MEDIA" : "INVALID_INPUT", clientErrorMessage(err));
    } else {
      status = 500;
      body = jsonError("INTERNAL", "internal error");
      log("unhandled error", { method: req.method, path: req.path, error: String(err?.stack ?? err) });
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    drainRefusedBody(req);
    if (err instanceof AsixError && err.code === "RATE_LIMITED" && typeof err.details.retryAfterSeconds === "number") {
      res.set("retry-after", String(err.details.retryAfterSeconds));
    }
    res.status(status).json(body);
  };
}

/** The 4xx an http-errors style error (express's router, body-parser) carries, if any. */
function clientErrorStatus(err: unknown): number | undefined {
  const status = (err as { status?: unknown; statusCode?: unknown } | undefined)?.status ?? (err as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof status === "number" && status >= 400 && status < 500 ? status : undefined;
}

function clientErrorMessage(err: { type?: string; message?: string; expose?: boolean }): string {
  if (err instanceof URIError) return "the path is not valid percent-encoding";
  if (err.type === "charset.unsupported") return "unsupported charset in Content-Type";
  if (err.type === "encoding.unsupported") return "unsupported Content-Encoding";
  return err.expose && typeof err.message === "string" ? err.message.slice(0, 200) : "malformed request";
}

/**
 * What Node's HTTP parser refuses before express sees a request (a NUL or a space in the path, a
 * header line without a colon, conflicting lengths, too many header bytes) is answered in JSON like
 * every other refusal; Node's default would be a bare status line, or nothing at all.
 */
function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, code, message] =
    err.code === "HPE_HEADER_OVERFLOW" ? [431, "PAYLOAD_TOO_LARGE", "request headers too large"] as const
    : err.code === "ERR_HTTP_REQUEST_TIMEOUT" ? [408, "TIMEOUT", "request not received in time"] as const
    : [400, "INVALID_INPUT", "malformed HTTP request"] as const;
  socket.end(rawJsonAnswer(status, code, message));
}

export interface RunningServer {
  url: string;
  port: number;
  server: http.Server;
  /** Stop listening and close every socket; with drainMs, first let requests in flight finish (up to drainMs). */
  close(drainMs?: number): Promise<void>;
}

/** How a service serves HTTP, whoever starts it (the devnet or `asix node run`). */
export interface ServeOptions {
  /** serve HTTPS with this certificate and key */
  tls?: TlsMaterial;
  /** on stop, how long requests in flight may take to finish before their sockets are closed; default 0 */
  drainMs?: number;
  /** the address to listen on; default 127.0.0.1 */
  host?: string;
  /** the URL the service is reached at (its registered endpoint), when not the one it listens on */
  publicUrl?: string;
}

/** What listen() adds around every request: a request id, metrics, one log line, /metrics. */
export interface EdgeOptions extends ServeOptions {
  log?: Logger;
  metrics?: ServiceMetrics;
}

function answerJson(res: http.ServerResponse, status: number, code: AsixError["code"], message: string): void {
  const body = JSON.stringify(jsonError(code, message));
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body), connection: "close" });
  res.end(body);
}

/** A JSON error as a whole HTTP/1.1 answer, for a socket no ServerResponse owns. */
function rawJsonAnswer(status: number, code: AsixError["code"], message: string): string {
  const body = JSON.stringify(jsonError(code, message));
  return (
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
  );
}

/**
 * Listen on 127.0.0.1 (port 0 = any free one), over HTTPS when given a certificate; close() also
 * drops keep-alive sockets. What Node's server would otherwise answer by itself (CONNECT: a dropped
 * socket; a foreign Expect: a bare 417; HTTP/1.1 without Host: a bare 400) is answered here as JSON
 * like every other refusal. Every request gets an X-Request-ID (the caller's, else a new one) that
 * the answer echoes and the request's log line carries; GET /metrics answers the service's metrics.
 */
export async function listen(app: Express | http.RequestListener, port = 0, host = "127.0.0.1", edge: EdgeOptions = {}): Promise<RunningServer> {
  const handle = app as http.RequestListener;
  let inFlight = 0;
  let drained: (() => void) | undefined;
  const onRequest: http.RequestListener = (req, res) => {
    const id = requestIdOf(req.headers["x-request-id"]);
    res.setHeader("x-request-id", id);
    if (req.httpVersion === "1.1" && req.headers.host === undefined) {
      answerJson(res, 400, "INVALID_INPUT", "an HTTP/1.1 request needs a Host header");
      return;
    }
    if (edge.metrics && req.method === "GET" && req.url?.split("?")[0] === "/metrics") {
      const registry = edge.metrics.registry;
      void registry.metrics().then((text) => {
        res.writeHead(200, { "content-type": registry.contentType });
        res.end(text);
      });
      return;
    }
    instrument(req, res, id, edge);
    inFlight++;
    res.once("close", () => {
      if (--inFlight === 0) drained?.();
    });
    handle(req, res);
  };
  const options = { requireHostHeader: false };
  const server: http.Server = edge.tls ? https.createServer({ ...options, cert: edge.tls.cert, key: edge.tls.key }, onRequest) : http.createServer(options, onRequest);
  server.keepAliveTimeout = 5000;
  server.on("clientError", answerClientError);
  server.on("connect", (_req, socket: Duplex) => {
    socket.on("error", () => undefined);
    socket.end(rawJsonAnswer(405, "INVALID_INPUT", "CONNECT is not served here"));
  });
  server.on("checkExpectation", (_req, res: http.ServerResponse) => answerJson(res, 417, "INVALID_INPUT", "only Expect: 100-continue is understood"));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, edge.host ?? host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: edge.publicUrl?.replace(/\/+$/, "") ?? `${edge.tls ? "https" : "http"}://${edge.host ?? host}:${actual}`,
    port: actual,
    server,
    close: async (drainMs = edge.drainMs ?? 0) => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      if (drainMs > 0 && inFlight > 0) {
        server.closeIdleConnections();
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([new Promise<void>((resolve) => (drained = resolve)), new Promise<void>((resolve) => (timer = setTimeout(resolve, drainMs)))]);
        clearTimeout(timer);
      }
      server.closeAllConnections();
      await closed;
    },
  };
}

/** Time and count the request by the route express matched, and log one line with its id. */
function instrument(req: http.IncomingMessage, res: http.ServerResponse, id: string, edge: EdgeOptions): void {
  if (!edge.metrics && !edge.log) return;
  const started = process.hrtime.bigint();
  let route = "unmatched";
  // The route is read when the answer starts, while express still has it on the request.
  const writeHead = res.writeHead;
  res.writeHead = function (this: http.ServerResponse, ...args: unknown[]) {
    route = routeOf(req);
    return (writeHead as (...a: unknown[]) => http.ServerResponse).apply(this, args);
  } as typeof res.writeHead;
  edge.metrics?.inFlight(1);
  res.once("close", () => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const status = res.writableFinished ? res.statusCode : 499;
    edge.metrics?.inFlight(-1);
    edge.metrics?.observeRequest(req.method ?? "GET", route, status, seconds);
    edge.log?.("request", { reqId: id, method: req.method, route, status, ms: Math.round(seconds * 1000) });
  });
}
