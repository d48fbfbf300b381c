import http from "node:http";
import type { AddressInfo } from "node:net";
import type { ErrorRequestHandler, Express, Request, RequestHandler } from "express";
import { AsixError, HTTP_STATUS_OF } from "../../sdk/errors";

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

export interface RunningServer {
  url: string;
  port: number;
  server: http.Server;
  close(): Promise<void>;
}

/** Listen on 127.0.0.1 (port 0 = any free one); close() also drops keep-alive sockets. */
export async function listen(app: Express | http.RequestListener, port = 0, host = "127.0.0.1"): Promise<RunningServer> {
  const server = http.createServer(app as http.RequestListener);
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${actual}`,
    port: actual,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** One structured line per event; silent unless ASIX_LOG or a log file is given. */
export type Logger = (msg: string, fields?: Record<string, unknown>) => void;

export function createLogger(service: string, sink?: (line: string) => void): Logger {
  if (!sink) return () => {};
  return (msg, fields) => sink(JSON.stringify({ t: new Date().toISOString(), service, msg, ...fields }) + "\n");
}
