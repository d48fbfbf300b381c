import type { Request } from "express";
import { AsixError } from "../../../sdk/errors";

/**
 * Which IPFS Trustless Gateway response a request for `/ipfs/:cid` asks for
 * (https://specs.ipfs.tech/http-gateways/trustless-gateway/): `?format=raw|car` first, else the
 * `Accept` header (`application/vnd.ipld.raw`, `application/vnd.ipld.car` with IPIP-412 params),
 * else none: the blob's bytes as before. What we cannot serve is a 400, never a silent substitute.
 */

export const RAW_TYPE = "application/vnd.ipld.raw";
export const CAR_TYPE = "application/vnd.ipld.car";

export type DagScope = "all" | "entity" | "block";

export type IpfsFormat =
  | { kind: "raw"; fromAccept: boolean }
  | {
      kind: "car";
      fromAccept: boolean;
      /** IPIP-412 `dups`: whether a repeated block is sent each time (default n) */
      dups: boolean;
      /** `dag-scope`: for a UnixFS file `entity` is the whole file, like `all` */
      scope: DagScope;
    };

interface MediaRange {
  type: string;
  params: Record<string, string>;
  q: number;
}

function parseAccept(header: string): MediaRange[] {
  const ranges = header.split(",").map((part) => {
    const [type, ...rest] = part.split(";").map((s) => s.trim());
    const params: Record<string, string> = {};
    for (const p of rest) {
      const eq = p.indexOf("=");
      if (eq > 0) params[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim().replace(/^"(.*)"$/, "$1").toLowerCase();
    }
    const q = params.q === undefined ? 1 : Number(params.q);
    return { type: type.toLowerCase(), params, q: Number.isFinite(q) ? q : 0 };
  });
  // Highest preference first; a stable sort keeps the client's order among equals.
  return ranges.filter((r) => r.q > 0).sort((a, b) => b.q - a.q);
}

const query = (req: Request, name: string): string | undefined => {
  const value = req.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new AsixError("INVALID_INPUT", `${name} may be given once`);
  return value;
};

/** The CAR variant asked for, or why we cannot serve it. */
function carParams(version: string | undefined, order: string | undefined, dups: string | undefined): { dups: boolean } | string {
  if (version !== undefined && version !== "1") return `CAR version ${version} (only version=1 is served)`;
  if (order !== undefined && order !== "dfs" && order !== "unk") return `CAR order ${order} (dfs is served)`;
  if (dups !== undefined && dups !== "y" && dups !== "n") return `CAR dups=${dups} (y or n)`;
  return { dups: dups === "y" };
}

/** The requested trustless response, undefined for a plain blob read; throws INVALID_INPUT (400) for one we do not serve. */
export function requestedIpfsFormat(req: Request): IpfsFormat | undefined {
  const format = query(req, "format");
  const accepted = parseAccept(req.headers.accept ?? "").filter((r) => r.type === RAW_TYPE || r.type === CAR_TYPE);
  let kind: "raw" | "car";
  let acceptedCar: MediaRange[] = accepted.filter((r) => r.type === CAR_TYPE);
  if (format !== undefined) {
    if (format !== "raw" && format !== "car") {
      throw new AsixError("INVALID_INPUT", `format=${format.slice(0, 40)} is not served here; this gateway serves format=raw and format=car`);
    }
    kind = format;
  } else if (accepted.length > 0) {
    kind = accepted[0].type === RAW_TYPE ? "raw" : "car";
  } else {
    return undefined;
  }
  const fromAccept = format === undefined;
  if (kind === "raw") return { kind, fromAccept };

  // Query parameters win over the Accept header's; among Accept's CAR ranges, the first we can serve.
  const fromQuery = { version: query(req, "car-version"), order: query(req, "car-order"), dups: query(req, "car-dups") };
  if (acceptedCar.length === 0) acceptedCar = [{ type: CAR_TYPE, params: {}, q: 1 }];
  let refused = "";
  let chosen: { dups: boolean } | undefined;
  for (const range of acceptedCar) {
    const params = carParams(fromQuery.version ?? range.params.version, fromQuery.order ?? range.params.order, fromQuery.dups ?? range.params.dups);
    if (typeof params === "string") refused ||= params;
    else {
      chosen = params;
      break;
    }
  }
  if (!chosen) throw new AsixError("INVALID_INPUT", `cannot serve ${refused}`);
  const scope = query(req, "dag-scope") ?? "all";
  if (scope !== "all" && scope !== "entity" && scope !== "block") throw new AsixError("INVALID_INPUT", "dag-scope is one of all, entity, block");
  if (query(req, "entity-bytes") !== undefined) throw new AsixError("INVALID_INPUT", "entity-bytes is not supported; ask for the whole file (or use Range on the plain blob)");
  return { kind, fromAccept, dups: chosen.dups, scope };
}
