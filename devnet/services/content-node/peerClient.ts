import http from "node:http";
import https from "node:https";
import { Readable } from "node:stream";
import type { Wallet } from "ethers";
import { signPeerRequest } from "../../../sdk/signatures";
import { peerHttpsAgent } from "../node-runtime/tls";

/**
 * Node-to-node HTTP with plain `http.request`: HEAD to ask whether a peer holds a blob, PUT to push
 * one as a stream, GET for a peer's health. Every call has a timeout and never throws on a status.
 * `/internal` calls carry a fresh signature from this node's delegate wallet (peerAuth.ts checks it).
 */

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
export async function peerHasBlob(wallet: Wallet, peer: string, cid: string, timeoutMs = 2000): Promise<boolean> {
  try {
    const url = `${peer.replace(/\/+$/, "")}/internal/blobs/${cid}`;
    const answer = await request(url, "HEAD", timeoutMs, undefined, await signPeerRequest(wallet, "HEAD", url));
    return answer.status === 200;
  } catch {
    return false;
  }
}

/** Which of `cids` `peer` holds sound copies of (one signed request per batch); empty when it cannot tell. */
export async function peerHoldings(wallet: Wallet, peer: string, cids: string[], timeoutMs = 5000): Promise<Set<string>> {
  const held = new Set<string>();
  const url = `${peer.replace(/\/+$/, "")}/internal/blobs`;
  for (let i = 0; i < cids.length; i += HOLDINGS_BATCH) {
    try {
      const body = Buffer.from(JSON.stringify({ cids: cids.slice(i, i + HOLDINGS_BATCH) }));
      const answer = await request(url, "POST", timeoutMs, Readable.from([body]), {
        ...(await signPeerRequest(wallet, "POST", url)),
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
export async function pushBlob(wallet: Wallet, peer: string, cid: string, body: Readable, size: number, timeoutMs = 60_000): Promise<PeerAnswer> {
  const url = `${peer.replace(/\/+$/, "")}/internal/blobs/${cid}`;
  return request(url, "PUT", timeoutMs, body, {
    ...(await signPeerRequest(wallet, "PUT", url)),
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
