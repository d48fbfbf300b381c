import { AsixError, type AsixErrorCode } from "../sdk/errors";
import type { ChainOptions } from "./chain";

/**
 * The messages between the chains' thread (chainWorker.ts) and the thread that started them
 * (chainThread.ts). `chain` names one of the chains the thread runs.
 */
export type ChainCallBody =
  | { kind: "start"; options: ChainOptions }
  | { kind: "request"; chain: number; method: string; params?: unknown[] | object }
  | { kind: "mark" | "genesis" | "close"; chain: number }
  | { kind: "rewind"; chain: number; mark: unknown; journal: unknown };

export type ChainCall = ChainCallBody & { id: number };

export type ChainReply =
  | { id: number; result: unknown }
  | { id: number; error: WireError }
  | { block: number };

/**
 * An error as it crosses threads. Structured cloning keeps an Error's message but drops its own
 * fields, and callers read them: `code` and `data` (a revert's data, which the relay decodes), and an
 * AsixError's code and details.
 */
export interface WireError {
  message: string;
  name?: string;
  stack?: string;
  code?: unknown;
  data?: unknown;
  details?: Record<string, unknown>;
  asix?: boolean;
}

export function toWire(error: unknown): WireError {
  if (!(error instanceof Error)) return { message: String(error) };
  const e = error as Error & { code?: unknown; data?: unknown; details?: Record<string, unknown> };
  const wire: WireError = { message: e.message, name: e.name, stack: e.stack, code: e.code, data: e.data, asix: error instanceof AsixError };
  if (wire.asix) wire.details = e.details;
  try {
    structuredClone(wire);
  } catch {
    // a field that cannot cross (a function, a socket): the message and code still do
    return { message: e.message, name: e.name, stack: e.stack, code: typeof e.code === "string" || typeof e.code === "number" ? e.code : undefined, asix: wire.asix };
  }
  return wire;
}

export function fromWire(wire: WireError): Error {
  if (wire.asix) {
    const e = new AsixError(wire.code as AsixErrorCode, wire.message, { details: wire.details });
    if (wire.stack) e.stack = wire.stack;
    return e;
  }
  const e = Object.assign(new Error(wire.message), { code: wire.code, data: wire.data });
  if (wire.name) e.name = wire.name;
  if (wire.stack) e.stack = wire.stack;
  return e;
}
