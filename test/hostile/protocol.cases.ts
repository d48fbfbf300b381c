import { jsonOf, type HostileCase } from "./table";
import type { World } from "./world";

/**
 * HTTP itself, abused the same way against each service: what Node's server decides before the
 * app sees a request (CONNECT, Expect, a missing Host, HTTP/2 prefaces, bad lengths) must still be
 * a JSON answer, never a dropped connection or a bare status line.
 */
const SERVICES: Array<{ name: string; base: (w: World) => string }> = [
  { name: "content node", base: (w) => w.content[0] },
  { name: "discovery node", base: (w) => w.discovery },
  { name: "identity service", base: (w) => w.identity },
];

const close = "Connection: close\r\n";
const ROWS: Array<{ label: string; raw: string; status: number | number[]; code?: string }> = [
  { label: "a CONNECT tunnel request", raw: `CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n${close}\r\n`, status: 405, code: "INVALID_INPUT" },
  { label: "an Expect header other than 100-continue", raw: `GET /health_check HTTP/1.1\r\nHost: a\r\nExpect: 200-ok\r\n${close}\r\n`, status: 417, code: "INVALID_INPUT" },
  { label: "an HTTP/1.1 request without Host", raw: `GET /health_check HTTP/1.1\r\n${close}\r\n`, status: 400, code: "INVALID_INPUT" },
  { label: "two Host headers", raw: `GET /health_check HTTP/1.1\r\nHost: a\r\nHost: b\r\n${close}\r\n`, status: [200, 400] },
  { label: "an HTTP/2 connection preface", raw: "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", status: 400, code: "INVALID_INPUT" },
  { label: "a negative Content-Length", raw: `POST /health_check HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n${close}\r\n`, status: 400, code: "INVALID_INPUT" },
  { label: "a Content-Length beyond 2^64", raw: `POST /health_check HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n${close}\r\n`, status: 400, code: "INVALID_INPUT" },
  { label: "a WebSocket upgrade on a plain route", raw: `GET /health_check HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, close\r\nUpgrade: websocket\r\n\r\n`, status: [200, 400, 426] },
  { label: "an obsolete line-folded header", raw: `GET /health_check HTTP/1.1\r\nHost: a\r\nX-Folded: a\r\n  b\r\n${close}\r\n`, status: [200, 400] },
  { label: "a request line with a tab for a space", raw: `GET\t/health_check HTTP/1.1\r\nHost: a\r\n${close}\r\n`, status: 400, code: "INVALID_INPUT" },
];

export const PROTOCOL_CASES: HostileCase[] = SERVICES.flatMap((service) =>
  ROWS.map((row) => ({
    name: `${service.name}: ${row.label}`,
    request: (w: World) => ({ base: service.base(w), method: row.raw.split(/[ \t]/)[0], path: "", raw: row.raw }),
    status: row.status,
    code: row.code,
    check: (answer) => {
      // the JSON check of the table skips HEAD; a raw answer is always checked here
      if (answer.status >= 400) jsonOf(answer);
    },
  })),
);
