import http from "node:http";
import Hashids from "hashids";
import { AbiCoder, Interface, Wallet, getBytes, hexlify, keccak256, randomBytes, toUtf8Bytes, concat, type HDNodeWallet } from "ethers";

/**
 * What a client written for the reference protocol does, written out with plain fetch, FormData and
 * ethers primitives (never our SDK), so the compat tests check our nodes against the wire facts of
 * PROTOCOL.md §8 and not against our own client's habits.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export async function getJson(url: string, init?: RequestInit): Promise<{ status: number; body: Json; headers: Headers }> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: Json;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, body, headers: res.headers };
}

/**
 * POST with node's own http client and `Connection: close`, as node-fetch v2 clients send it.
 * Resolves once the exchange is over with the answer and any socket error met while still sending.
 */
export function postClosing(url: string, headers: Record<string, string>, body: Buffer) {
  return new Promise<{ status: number; body: Json; socketError?: string }>((resolve, reject) => {
    let answer: { status: number; body: Json } | undefined;
    let socketError: string | undefined;
    const req = http.request(url, { method: "POST", headers: { ...headers, connection: "close", "content-length": String(body.length) } }, (res) => {
      let text = "";
      res.on("data", (c) => (text += c));
      res.on("end", () => (answer = { status: res.statusCode!, body: JSON.parse(text) }));
    });
    req.on("error", (err) => (socketError = (err as NodeJS.ErrnoException).code ?? String(err)));
    req.on("close", () => (answer ? resolve({ ...answer, socketError }) : reject(new Error(`no answer: ${socketError}`))));
    req.end(body);
  });
}

// ---- discovery node selection (§8) -----------------------------------------------------------

/** semver.org's regular expression for a valid version. */
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

const belowMinimum = (version: string, minimum: string) => {
  const a = SEMVER.exec(version)!.slice(1, 4).map(Number);
  const b = SEMVER.exec(minimum)!.slice(1, 4).map(Number);
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] < b[i];
  return false;
};

export const MINIMUM_DISCOVERY_VERSION = "0.7.0";
export const MAX_BLOCK_DIFFERENCE = 15;

/** How a reference client's discovery-node selector judges a /health_check answer, with the rule that decided. */
export function judgeDiscoveryHealth(status: number, body: Json): { verdict: "healthy" | "behind" | "rejected"; reason: string } {
  if (status < 200 || status >= 300) return { verdict: "rejected", reason: `HTTP ${status}` };
  if (!body || typeof body !== "object" || !body.data || !body.comms) return { verdict: "rejected", reason: "no data or comms" };
  const { data, comms } = body;
  if (data.service !== "discovery-node") return { verdict: "rejected", reason: `service is ${data.service}` };
  if (!comms.healthy) return { verdict: "rejected", reason: "comms not healthy" };
  if (typeof data.version !== "string" || !SEMVER.test(data.version)) return { verdict: "rejected", reason: `version ${data.version} is not semver` };
  if (data.chain_health?.status === "Unhealthy") return { verdict: "rejected", reason: "chain unhealthy" };
  if (data.block_difference !== undefined && data.block_difference !== null && data.block_difference > MAX_BLOCK_DIFFERENCE) {
    return { verdict: "rejected", reason: `block_difference ${data.block_difference}` };
  }
  if (belowMinimum(data.version, MINIMUM_DISCOVERY_VERSION)) return { verdict: "behind", reason: `version ${data.version} < ${MINIMUM_DISCOVERY_VERSION}` };
  return { verdict: "healthy", reason: "all rules hold" };
}

/** A content node is healthy to reference clients when /health_check answers within 3 s with diskHasSpace true. */
export async function contentNodeIsHealthy(endpoint: string): Promise<boolean> {
  try {
    const res = await fetch(`${endpoint.toLowerCase()}/health_check`, { signal: AbortSignal.timeout(3000) });
    const body = (await res.json()) as Json;
    if (body?.data?.diskHasSpace !== true) return false;
    const avg = body.data.transcodeStats?.AvgTranscodeTime;
    return !(typeof avg === "number" && avg > 180);
  } catch {
    return false;
  }
}

// ---- uploads (§8) ----------------------------------------------------------------------------

/** POST /uploads as reference clients send it: no signature, multipart with `template` and one `files` part. */
export async function referenceUpload(
  node: string,
  template: string,
  bytes: Uint8Array,
  filename: string,
  options: { previewStartSeconds?: number; userWallet?: string; headers?: Record<string, string> } = {},
) {
  const form = new FormData();
  form.set("template", template);
  if (options.previewStartSeconds !== undefined) form.set("previewStartSeconds", String(options.previewStartSeconds));
  form.set("placement_hosts", "");
  form.set("files", new Blob([bytes]), filename);
  const headers: Record<string, string> = { ...options.headers };
  if (options.userWallet) headers["X-User-Wallet-Addr"] = options.userWallet;
  return getJson(`${node}/uploads`, { method: "POST", body: form, headers });
}

/** Poll GET /uploads/:id until `done`; `error` and HTTP 422 are fatal, as in reference clients. */
export async function pollUpload(node: string, id: string, timeoutMs = 120_000): Promise<Json> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status, body } = await getJson(`${node}/uploads/${id}`);
    if (status === 422) throw new Error(`upload ${id}: 422 ${JSON.stringify(body)}`);
    if (status !== 200) throw new Error(`upload ${id}: HTTP ${status}`);
    if (body.status === "done") return body;
    if (body.status === "error") throw new Error(`upload ${id} failed: ${body.error}`);
    if (Date.now() > deadline) throw new Error(`upload ${id} still ${body.status}`);
    await new Promise((r) => setTimeout(r, 200)); // reference clients poll every 3 s; a test need not wait that long
  }
}

// ---- writes through /relay (§2, §8) ------------------------------------------------------------

const MANAGE_ENTITY_TYPE = "ManageEntity(uint userId,string entityType,uint entityId,string action,string metadata,bytes32 nonce)";
const DOMAIN_TYPE = "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)";
const ENTITY_MANAGER = new Interface([
  "function manageEntity(uint256 userId, string entityType, uint256 entityId, string action, string metadata, bytes32 nonce, bytes subjectSig)",
]);
const hashText = (s: string) => keccak256(toUtf8Bytes(s));

export interface DataChain {
  chainId: number;
  entityManager: string;
}

/** The EIP-712 digest of a ManageEntity message, computed by hand over the reference's exact type string. */
function manageEntityDigest(chain: DataChain, m: { userId: bigint; entityType: string; entityId: bigint; action: string; metadata: string; nonce: string }): string {
  const abi = AbiCoder.defaultAbiCoder();
  const domain = keccak256(
    abi.encode(["bytes32", "bytes32", "bytes32", "uint256", "address"], [hashText(DOMAIN_TYPE), hashText("Entity Manager"), hashText("1"), chain.chainId, chain.entityManager]),
  );
  const struct = keccak256(
    abi.encode(
      ["bytes32", "uint256", "bytes32", "uint256", "bytes32", "bytes32", "bytes32"],
      [hashText(MANAGE_ENTITY_TYPE), m.userId, hashText(m.entityType), m.entityId, hashText(m.action), hashText(m.metadata), m.nonce],
    ),
  );
  return keccak256(concat(["0x1901", domain, struct]));
}

/**
 * Sign a ManageEntity action, POST it to the discovery node's /relay, then poll /block_confirmation
 * until the block has passed. Returns the relay's receipt.
 */
export async function relayAction(
  discovery: string,
  chain: DataChain,
  wallet: Wallet | HDNodeWallet,
  action: { userId: bigint; entityType: string; entityId: bigint; action: string; metadata: string },
): Promise<{ blockHash: string; blockNumber: number; transactionHash: string }> {
  const nonce = hexlify(randomBytes(32));
  const signature = wallet.signingKey.sign(getBytes(manageEntityDigest(chain, { ...action, nonce }))).serialized;
  const encodedABI = ENTITY_MANAGER.encodeFunctionData("manageEntity", [action.userId, action.entityType, action.entityId, action.action, action.metadata, nonce, signature]);
  const relayed = await getJson(`${discovery}/relay`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ contractRegistryKey: "EntityManager", contractAddress: chain.entityManager, encodedABI, senderAddress: wallet.address, gasLimit: null }),
  });
  if (relayed.status !== 200) throw new Error(`relay: ${relayed.status} ${JSON.stringify(relayed.body)}`);
  const receipt = relayed.body.receipt;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { body } = await getJson(`${discovery}/block_confirmation?blocknumber=${receipt.blockNumber}&blockhash=${receipt.blockHash}`);
    if (body.data.block_passed) {
      if (!body.data.block_found) throw new Error(`block ${receipt.blockNumber} passed but its hash is not the chain's`);
      return receipt;
    }
    if (Date.now() > deadline) throw new Error(`block ${receipt.blockNumber} not confirmed`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** REST ids are hashids with the reference's salt (PROTOCOL.md §1). */
const HASHIDS = new Hashids("azowernasdfoia", 5);

/** A free id of a kind from the discovery node, decoded to the integer that actions carry. */
export async function unclaimedId(discovery: string, kind: "users" | "tracks" | "playlists"): Promise<{ id: bigint; hashid: string }> {
  const { body } = await getJson(`${discovery}/v1/${kind}/unclaimed_id`);
  return { id: BigInt(HASHIDS.decode(body.data)[0]), hashid: body.data };
}
