import http from "node:http";
import type { AddressInfo } from "node:net";
import type { ErrorRequestHandler, Express, RequestHandler } from "express";
import { AsixError, HTTP_STATUS_OF } from "../../sdk/errors";

/**
 * What every service shares at the HTTP edge: errors answered as JSON `{error:{code,message}}`
 * with the right status, a 404 for unknown routes, and a listen/close that leaves no socket open.
 */

export function jsonError(code: AsixError["code"], message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

/** Unknown routes: JSON 404, not express's HTML page. */
export const notFoundRoute: RequestHandler = (req, res) => {
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
