import http from "node:http";
import net from "node:net";

/**
 * Requests exactly as a hostile client writes them. `http.request` sends the path untouched (fetch
 * would resolve `..` and re-encode), and `raw` bytes go straight onto a socket for what even
 * `http.request` refuses to send (NUL or spaces in the path, broken header lines).
 */
export interface HostileRequest {
  /** the service's base URL */
  base: string;
  method: string;
  /** sent as written: no normalization, no encoding */
  path: string;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
  /** bytes to write on a fresh socket instead of a request built from the fields above */
  raw?: Buffer | string;
}

export interface HostileAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

const ANSWER_TIMEOUT_MS = 15_000;

/** Send one request; rejects on a reset connection or no answer, which the suite counts as a failure. */
export function send(request: HostileRequest): Promise<HostileAnswer> {
  return request.raw !== undefined ? sendRaw(request.base, request.raw) : sendHttp(request);
}

function sendHttp(r: HostileRequest): Promise<HostileAnswer> {
  const u = new URL(r.base);
  // Node sends a DELETE or GET body with neither length nor chunking unless told: say its length.
  const headers = r.body !== undefined && !Object.keys(r.headers ?? {}).some((h) => /^(content-length|transfer-encoding)$/i.test(h))
    ? { ...r.headers, "content-length": String(Buffer.byteLength(r.body)) }
    : r.headers;
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: u.hostname, port: u.port, method: r.method, path: r.path, headers, agent: false, timeout: ANSWER_TIMEOUT_MS },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms`)));
    req.on("error", reject);
    req.end(r.body);
  });
}

/**
 * Raw bytes on a socket; the request should say `Connection: close` so that the server closes the
 * connection once it has answered. The answer is read to the end of the connection and split by hand: status line, headers, then Content-Length bytes of body
 * (every answer of our services, and Node's own parse-error answers, carry a length or none).
 */
function sendRaw(base: string, bytes: Buffer | string): Promise<HostileAnswer> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: u.hostname, port: Number(u.port) });
    const chunks: Buffer[] = [];
    socket.setTimeout(ANSWER_TIMEOUT_MS, () => socket.destroy(new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms`)));
    // Write without ending: Node's server aborts a request whose client half-closes before the answer.
    socket.on("connect", () => socket.write(bytes));
    socket.on("data", (c) => chunks.push(c));
    socket.on("error", reject);
    socket.on("close", (hadError) => {
      if (hadError) return;
      const all = Buffer.concat(chunks);
      const split = all.indexOf("\r\n\r\n");
      if (split < 0) return reject(new Error(`connection closed without an HTTP answer (${all.length} bytes)`));
      const [statusLine, ...lines] = all.subarray(0, split).toString("latin1").split("\r\n");
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
      if (!m) return reject(new Error(`not an HTTP status line: ${JSON.stringify(statusLine)}`));
      const headers: http.IncomingHttpHeaders = {};
      for (const line of lines) {
        const colon = line.indexOf(":");
        if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      let body = all.subarray(split + 4);
      const length = Number(headers["content-length"]);
      if (Number.isSafeInteger(length)) body = body.subarray(0, length);
      resolve({ status: Number(m[1]), headers, body });
    });
  });
}

/** A raw request's bytes: request line, headers (Host and Connection: close added), body. */
export function rawRequest(method: string, target: string | Buffer, headers: string[] = [], body: Buffer | string = ""): Buffer {
  const head = [`${method} `, target, ` HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n`, ...headers.map((h) => `${h}\r\n`)];
  if (body.length > 0 && !headers.some((h) => /^(content-length|transfer-encoding):/i.test(h))) head.push(`Content-Length: ${Buffer.byteLength(body)}\r\n`);
  head.push("\r\n");
  return Buffer.concat([...head.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : p)), Buffer.from(body)]);
}
