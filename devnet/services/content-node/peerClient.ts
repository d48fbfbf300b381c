import http from "node:http";
import https from "node:https";
import { Readable } from "node:stream";
import type { Wallet } from "ethers";
import { openPeerSession, signPeerSessionRequest, type PeerSession } from "../../../sdk/signatures";
import { peerHttpsAgent } from "../node-runtime/tls";

/**
 * Node-to-node HTTP with plain `http.request`: HEAD to ask whether a peer holds a blob, PUT to push
 * one as a stream, GET for a peer's health. Every call has a timeout and never throws on a status.
 * `/internal` calls carry a fresh signature for that request, made with this node's peer session key
 * (certified by its delegate wallet; see PeerSigner), which peerAuth.ts checks.
 */

/** Signs this node's requests to its peers. */
export interface PeerSigner {
  headers(method: string, url: string): Promise<Record<string, string>>;
}

/** How long a peer session lasts; a new one is opened a minute before, so no request outlives its key. */
const SESSION_MS = 5 * 60 * 1000;
const RENEW_BEFORE_MS = 60 * 1000;

/**
 * Each request signed with a session key (Ed25519, natively, tens of microseconds) that the delegate
 * wallet certifies once per SESSION_MS: the wallet's secp256k1 signature in JavaScript, and each
 * peer's recovery of it, cost milliseconds, and replication makes thousands of requests.
 */
export function createPeerSigner(wallet: Wallet): PeerSigner {
  let session: Promise<PeerSession> | undefined;
  let renewAt = 0;
  return {
    async headers(method, url) {
      const now = Date.now();
      if (!session || now >= renewAt) {
        renewAt = now + SESSION_MS - RENEW_BEFORE_MS;
        session = openPeerSession(wallet, SESSION_MS, now);
        session.catch(() => (renewAt = 0)); // a failed opening is tried again by the next request
      }
      return signPeerSessionRequest(await session, method, url);
    },
  };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

export interface PeerAnswer {
  status: number;
  body: string;
}

function request(url: string, method: string, timeoutMs: number, body?: Readable, headers: Record<string, string> = {}): Promise<PeerAnswer> {
  return new Promise((resolve, reject) => {
    // An https:// peer is checked against the system roots plus any CA the process trusts (trustCa).
    const secure = url.startsWith("https:");
    const req = (secure ? https.request : http.request)(url, { method, agent: secure ? peerHttpsAgent() : agent, headers, timeout: timeoutMs }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => {
        if (text.length < 65536) text += d;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    req.on("error", (err) => {
      body?.destroy();
      reject(err);
    });
    if (body) {
      body.on("error", (err) => req.destroy(err));
      body.pipe(req);
    } else {
      req.end();
    }
  });
}

/** Whether `peer` holds a sound copy of the blob itself (no redirects followed). */
export async function peerHasBlob(signer: PeerSigner, peer: string, cid: string, timeoutMs = 2000): Promise<boolean> {
  try {
    const url = `${peer.replace(/\/+$/, "")}/internal/blobs/${cid}`;
    const answer = await request(url, "HEAD", timeoutMs, undefined, await signer.headers("HEAD", url));
    return answer.status === 200;
  } catch {
    return false;
  }
}

/** Which of `cids` `peer` holds sound copies of (one signed request per batch); empty when it cannot tell. */
export async function peerHoldings(signer: PeerSigner, peer: string, cids: string[], timeoutMs = 5000): Promise<Set<string>> {
  const held = new Set<string>();
  const url = `${peer.replace(/\/+$/, "")}/internal/blobs`;
  for (let i = 0; i < cids.length; i += HOLDINGS_BATCH) {
    try {
      const body = Buffer.from(JSON.stringify({ cids: cids.slice(i, i + HOLDINGS_BATCH) }));
      const answer = await request(url, "POST", timeoutMs, Readable.from([body]), {
        ...(await signer.headers("POST", url)),
        "content-type": "application/json",
        "content-length": String(body.length),
      });
      if (answer.status !== 200) return held;
      for (const cid of JSON.parse(answer.body)?.data?.held ?? []) held.add(String(cid));
    } catch {
      return held;
    }
  }
  return held;
}

/** CIDs per holdings request: the answer stays under the 64 KiB a peer answer is read up to. */
const HOLDINGS_BATCH = 1000;

/** Push a blob's bytes to `peer`, which verifies them against the CID. Returns the peer's status. */
export async function pushBlob(signer: PeerSigner, peer: string, cid: string, body: Readable, size: number, timeoutMs = 60_000): Promise<PeerAnswer> {
  const url = `${peer.replace(/\/+$/, "")}/internal/blobs/${cid}`;
  return request(url, "PUT", timeoutMs, body, {
    ...(await signer.headers("PUT", url)),
    "content-type": "application/octet-stream",
    "content-length": String(size),
  });
}

export async function peerHealthy(peer: string, timeoutMs = 2000): Promise<boolean> {
  try {
    const answer = await request(`${peer}/health_check`, "GET", timeoutMs);
    return answer.status === 200 && JSON.parse(answer.body)?.data?.healthy === true;
  } catch {
    return false;
  }
}

/** A peer's upload record (GET /uploads/:id, answered from its own table), or undefined. */
export async function fetchPeerUpload(peer: string, id: string, timeoutMs = 1000): Promise<Record<string, unknown> | undefined> {
  try {
    const answer = await request(`${peer}/uploads/${id}`, "GET", timeoutMs);
    return answer.status === 200 ? JSON.parse(answer.body) : undefined;
  } catch {
    return undefined;
  }
}
