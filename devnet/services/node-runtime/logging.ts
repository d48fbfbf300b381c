import { randomUUID } from "node:crypto";
import pino from "pino";

/**
 * Structured JSON logs through pino: one object per line with `t` (ISO time), `level`, `service`
 * and `msg`, so `asix devnet logs` and any log shipper read the same lines. A service logs through
 * the plain `Logger` function it always had; pino does the formatting and the writing.
 */
export type Logger = (msg: string, fields?: Record<string, unknown>) => void;

/** Silent without a sink; with one, each call writes one JSON line to it. */
export function createLogger(service: string, sink?: (line: string) => void): Logger {
  if (!sink) return () => {};
  const logger = pino(
    { base: { service }, messageKey: "msg", timestamp: () => `,"t":"${new Date().toISOString()}"`, formatters: { level: (label) => ({ level: label }) } },
    { write: sink },
  );
  return (msg, fields) => {
    if (fields && (fields.error !== undefined || /failed|crashed|refused|unreachable/.test(msg))) logger.warn(fields, msg);
    else logger.info(fields ?? {}, msg);
  };
}

/** What a client may send as X-Request-ID and have echoed: short, printable, no header tricks. */
const REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** The caller's X-Request-ID when it is a sane one, else a fresh UUID. */
export function requestIdOf(header: string | string[] | undefined): string {
  const given = Array.isArray(header) ? header[0] : header;
  return given !== undefined && REQUEST_ID.test(given) ? given : randomUUID();
}
