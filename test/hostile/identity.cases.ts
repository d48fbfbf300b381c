import { gzipSync } from "node:zlib";
import { Wallet, zeroPadValue } from "ethers";
import { decodeManageEntityCall, encodeManageEntityCall, randomNonce, signManageEntity } from "../../sdk/eip712";
import { signData, verificationStartData } from "../../sdk/signatures";
import { AsixToken__factory } from "../../typechain-types";
import { JSON_HEADERS, type HostileCase } from "./table";
import { rawRequest } from "./wire";
import type { World } from "./world";

/**
 * The identity service: the wallet store, email records, the data-chain relay, the eth relay and
 * social verification. Every refused write must leave no row, no rate-limit count and no gas spent;
 * the closing checks of the suite hold it to that.
 */
const post = (path: string, body: unknown, headers: Record<string, string> = JSON_HEADERS) => (w: World) => ({
  base: w.identity, method: "POST", path, headers, body: typeof body === "string" || Buffer.isBuffer(body) ? body : JSON.stringify(body),
});
const get = (path: string) => (w: World) => ({ base: w.identity, method: "GET", path });

const HEX64 = "ab".repeat(32);
const goodAuth = { iv: "00".repeat(16), cipherText: "11".repeat(64), lookupKey: HEX64 };

/** Body shapes every JSON endpoint must refuse as 400 (or 413 when too large), never 500. */
const JSON_BODIES: Array<{ label: string; body: string | Buffer; headers?: Record<string, string>; status: number | number[] }> = [
  { label: "broken JSON", body: "{\"iv\":", status: 400 },
  { label: "JSON null", body: "null", status: 400 },
  { label: "a JSON array", body: "[1,2]", status: 400 },
  { label: "a JSON string", body: "\"hello\"", status: 400 },
  { label: "an empty object", body: "{}", status: 400 },
  { label: "10,000 nested arrays", body: "[".repeat(10_000) + "]".repeat(10_000), status: 400 },
  { label: "__proto__ keys", body: "{\"__proto__\":{\"iv\":\"00\"},\"constructor\":{\"prototype\":{\"x\":1}}}", status: 400 },
  { label: "a 300 kB body", body: JSON.stringify({ pad: "x".repeat(300_000) }), status: 413 },
  { label: "a 30 MB body (refused before it is read)", body: Buffer.alloc(30 * 1024 * 1024, 0x20), status: 413 },
  { label: "text/plain", body: "iv=00", headers: { "content-type": "text/plain" }, status: 400 },
  { label: "form encoding", body: "iv=00&cipherText=11&lookupKey=ab", headers: { "content-type": "application/x-www-form-urlencoded" }, status: 400 },
  { label: "an unsupported charset", body: "{}", headers: { "content-type": "application/json; charset=koi8-r" }, status: 415 },
  { label: "an unknown content-encoding", body: "{}", headers: { "content-type": "application/json", "content-encoding": "compress" }, status: 415 },
  { label: "a body marked gzip that is not", body: "{}", headers: { "content-type": "application/json", "content-encoding": "gzip" }, status: 400 },
  { label: "a gzip bomb (10 kB inflating to 10 MB)", body: gzipSync(Buffer.concat([Buffer.from("{\"iv\":\""), Buffer.alloc(10 * 1024 * 1024, 0x30), Buffer.from("\"}")])), headers: { "content-type": "application/json", "content-encoding": "gzip" }, status: 413 },
  { label: "a valid gzip body with bad fields", body: gzipSync("{\"iv\":7}"), headers: { "content-type": "application/json", "content-encoding": "gzip" }, status: 400 },
];
const JSON_ROUTES = ["/authentication", "/user", "/relay", "/eth_relay"];
const jsonBodyCases: HostileCase[] = JSON_ROUTES.flatMap((route) =>
  JSON_BODIES.map((b) => ({
    name: `POST ${route} with ${b.label}`,
    request: post(route, b.body, b.headers ?? JSON_HEADERS),
    status: b.status,
  })),
);

const authCases: HostileCase[] = [
  { name: "POST /authentication with a non-hex iv", request: post("/authentication", { ...goodAuth, iv: "zz" }), status: 400, code: "INVALID_INPUT" },
  { name: "POST /authentication with a 65-char iv", request: post("/authentication", { ...goodAuth, iv: "a".repeat(65) }), status: 400, code: "INVALID_INPUT" },
  { name: "POST /authentication with an 8193-char cipherText", request: post("/authentication", { ...goodAuth, cipherText: "a".repeat(8193) }), status: 400, code: "INVALID_INPUT" },
  { name: "POST /authentication with lookupKey as an array", request: post("/authentication", { ...goodAuth, lookupKey: [HEX64] }), status: 400, code: "INVALID_INPUT" },
  { name: "POST /authentication with lookupKey as an object", request: post("/authentication", { ...goodAuth, lookupKey: { $ne: "" } }), status: 400, code: "INVALID_INPUT" },
  { name: "POST /authentication with lookupKey as a number", request: post("/authentication", { ...goodAuth, lookupKey: 12345 }), status: 400, code: "INVALID_INPUT" },
  { name: "POST /authentication with lookupKey '0x' only", request: post("/authentication", { ...goodAuth, lookupKey: "0x" }), status: 400, code: "INVALID_INPUT" },
  { name: "POST /authentication with an SQL lookupKey", request: post("/authentication", { ...goodAuth, lookupKey: "' OR 1=1--" }), status: 400, code: "INVALID_INPUT" },
  { name: "POST /authentication with an empty cipherText", request: post("/authentication", { ...goodAuth, cipherText: "" }), status: 400, code: "INVALID_INPUT" },
  { name: "POST /authentication replacing an oldLookupKey that does not exist", request: post("/authentication", { ...goodAuth, oldLookupKey: "cd".repeat(32) }), status: 404, code: "NOT_FOUND" },
  { name: "POST /authentication with a non-hex oldLookupKey", request: post("/authentication", { ...goodAuth, oldLookupKey: "nope" }), status: 400, code: "INVALID_INPUT" },
  { name: "GET /authentication without a lookupKey", request: get("/authentication"), status: 404, code: "NOT_FOUND" },
  { name: "GET /authentication with lookupKey given twice", request: get(`/authentication?lookupKey=${HEX64}&lookupKey=${HEX64}`), status: 404, code: "NOT_FOUND" },
  { name: "GET /authentication with an SQL lookupKey", request: get("/authentication?lookupKey=%27%20OR%201%3D1--"), status: 404, code: "NOT_FOUND" },
  { name: "GET /authentication with a LIKE wildcard lookupKey", request: get("/authentication?lookupKey=%25"), status: 404, code: "NOT_FOUND" },
  { name: "GET /authentication with an 8 kB lookupKey", request: get(`/authentication?lookupKey=${"a".repeat(8000)}`), status: 404, code: "NOT_FOUND" },
  { name: "GET /authentication with an encoded NUL lookupKey", request: get(`/authentication?lookupKey=${HEX64}%00`), status: 404, code: "NOT_FOUND" },
  { name: "GET /authentication with a broken percent-encoding", request: get("/authentication?lookupKey=%E0%A4%A"), status: [400, 404] },
];

const userCases: HostileCase[] = [
  ...["not-an-email", "@no-local.part", "spaces in@it.com", `${"l".repeat(65)}@x.com`, "a@b@c", ""].map((email) => ({
    name: `POST /user with the email ${JSON.stringify(email.slice(0, 30))}`,
    request: (w: World) => post("/user", { email, walletAddress: w.stranger.address })(w),
    status: 400,
    code: "INVALID_INPUT",
  })),
  { name: "POST /user with the email as an array", request: (w) => post("/user", { email: ["a@b.co"], walletAddress: w.stranger.address })(w), status: 400, code: "INVALID_INPUT" },
  { name: "POST /user with a short walletAddress", request: post("/user", { email: "hostile@example.com", walletAddress: "0x1234" }), status: 400, code: "INVALID_INPUT" },
  { name: "POST /user with a walletAddress with a bad checksum", request: post("/user", { email: "hostile@example.com", walletAddress: "0x52908400098527886E0F7030069857D2E4169EE7".replace("E7", "e7") }), status: 400, code: "INVALID_INPUT" },
  { name: "POST /user with walletAddress as a number", request: post("/user", { email: "hostile@example.com", walletAddress: 1 }), status: 400, code: "INVALID_INPUT" },
  { name: "GET /users/check without an email", request: get("/users/check"), status: 400, code: "INVALID_INPUT" },
  { name: "GET /users/check with email given twice", request: get("/users/check?email=a@b.co&email=c@d.co"), status: 400, code: "INVALID_INPUT" },
  { name: "GET /users/check with an SQL email", request: get("/users/check?email=%27%20OR%201%3D1--"), status: 400, code: "INVALID_INPUT" },
  { name: "GET /users/check with a 10 kB email", request: get(`/users/check?email=${"a".repeat(10_000)}@x.com`), status: 400, code: "INVALID_INPUT" },
  // NUL and ESC are not whitespace: the old pattern [^\s@] stored them.
  { name: "POST /user with a NUL byte in the email is refused", request: (w) => post("/user", { email: "nul\u0000@example.com", walletAddress: w.stranger.address })(w), status: 400, code: "INVALID_INPUT" },
  { name: "POST /user with a control character (ESC) in the email is refused", request: (w) => post("/user", { email: "esc\u001b[31m@example.com", walletAddress: w.stranger.address })(w), status: 400, code: "INVALID_INPUT" },
  // The array used to reach the SQLite query and answer 500.
  { name: "GET /verification/callback with the state given twice", request: get("/verification/callback?state=a&state=b&code=x"), status: 400, code: "INVALID_INPUT" },
];

/** A manageEntity call signed by `signer` as the relay expects it. */
async function relayBody(w: World, signer: Wallet, edit: (m: { userId: bigint; entityType: string; entityId: bigint; action: string; metadata: string; nonce: string }) => void = () => {}) {
  const domain = { chainId: w.devnet.dataChain.chainId, verifyingContract: w.devnet.dataChain.contracts.entityManager };
  const message = { userId: BigInt(w.fan.id), entityType: "User", entityId: BigInt(w.artist.id), action: "Unfollow", metadata: "", nonce: randomNonce() };
  const signature = await signManageEntity(signer, domain, message);
  edit(message);
  return { contractRegistryKey: "EntityManager", contractAddress: domain.verifyingContract, encodedABI: encodeManageEntityCall(message, signature), senderAddress: signer.address };
}
const relay = (body: (w: World) => Promise<Record<string, unknown>> | Record<string, unknown>) => async (w: World) => post("/relay", await body(w))(w);

/** Relays that must be refused before any gas is spent (balances are compared after the table). */
const relayCases: HostileCase[] = [
  { name: "POST /relay with another contract address", request: relay(async (w) => ({ ...(await relayBody(w, w.fan.wallet)), contractAddress: w.devnet.ethChain.contracts.token })), status: 400, code: "INVALID_INPUT" },
  { name: "POST /relay with another registry key", request: relay(async (w) => ({ ...(await relayBody(w, w.fan.wallet)), contractRegistryKey: "Token" })), status: 400, code: "INVALID_INPUT" },
  { name: "POST /relay with calldata of another method", request: relay(async (w) => ({ ...(await relayBody(w, w.fan.wallet)), encodedABI: "0xa9059cbb" + "00".repeat(64) })), status: 400, code: "INVALID_INPUT" },
  { name: "POST /relay with truncated calldata", request: relay(async (w) => { const b = await relayBody(w, w.fan.wallet); return { ...b, encodedABI: b.encodedABI.slice(0, 100) }; }), status: 400, code: "INVALID_INPUT" },
  { name: "POST /relay with odd-length hex calldata", request: relay(async (w) => { const b = await relayBody(w, w.fan.wallet); return { ...b, encodedABI: b.encodedABI + "0" }; }), status: 400, code: "INVALID_INPUT" },
  { name: "POST /relay with senderAddress not the signer", request: relay(async (w) => ({ ...(await relayBody(w, w.stranger)), senderAddress: w.fan.wallet.address })), status: 401, code: "UNAUTHORIZED" },
  { name: "POST /relay with the signed action tampered (another target)", request: relay((w) => relayBody(w, w.fan.wallet, (m) => (m.entityId = 1n))), status: 401, code: "UNAUTHORIZED" },
  { name: "POST /relay with the signed action tampered (another verb)", request: relay((w) => relayBody(w, w.fan.wallet, (m) => (m.action = "Follow"))), status: 401, code: "UNAUTHORIZED" },
  { name: "POST /relay with an all-zero signature", request: relay(async (w) => {
      const b = await relayBody(w, w.fan.wallet);
      const { message } = decodeManageEntityCall(b.encodedABI);
      return { ...b, encodedABI: encodeManageEntityCall(message, "0x" + "00".repeat(65)) };
    }), status: 401, code: "UNAUTHORIZED" },
  { name: "POST /relay replaying a mined action", request: relay((w) => w.minedRelayBody), status: 409, code: "CONFLICT" },
  { name: "POST /relay with a negative gasLimit", request: relay(async (w) => ({ ...(await relayBody(w, w.fan.wallet)), gasLimit: -1 })), status: 400, code: "INVALID_INPUT" },
  { name: "POST /relay with gasLimit as text", request: relay(async (w) => ({ ...(await relayBody(w, w.fan.wallet)), gasLimit: "lots" })), status: 400, code: "INVALID_INPUT" },
  { name: "POST /relay with gasLimit as an object", request: relay(async (w) => ({ ...(await relayBody(w, w.fan.wallet)), gasLimit: { $gt: 0 } })), status: 400, code: "INVALID_INPUT" },
  { name: "POST /relay with a fractional gasLimit", request: relay(async (w) => ({ ...(await relayBody(w, w.fan.wallet)), gasLimit: 1.5 })), status: 400, code: "INVALID_INPUT" },
  { name: "POST /relay with a gasLimit of 1e400 (parsed as Infinity)", request: async (w) => post("/relay", JSON.stringify(await relayBody(w, w.fan.wallet)).replace(/}$/, ",\"gasLimit\":1e400}"))(w), status: 400, code: "INVALID_INPUT" },
  { name: "POST /relay with a non-address senderAddress", request: relay(async (w) => ({ ...(await relayBody(w, w.fan.wallet)), senderAddress: "me" })), status: 400, code: "INVALID_INPUT" },
  { name: "POST /relay with encodedABI as an array", request: relay(async (w) => ({ ...(await relayBody(w, w.fan.wallet)), encodedABI: ["0x00"] })), status: 400, code: "INVALID_INPUT" },
];

const token = AsixToken__factory.createInterface();
const ethRelay = (body: (w: World) => Promise<Record<string, unknown>> | Record<string, unknown>) => async (w: World) => post("/eth_relay", await body(w))(w);
const permitCall = (w: World, owner: string, spender: string, value: bigint, r = zeroPadValue("0x01", 32), s = zeroPadValue("0x01", 32)) => ({
  contractRegistryKey: "Token",
  contractAddress: w.devnet.ethChain.contracts.token,
  encodedABI: token.encodeFunctionData("permit", [owner, spender, value, 2n ** 40n, 27, r, s]),
  senderAddress: owner,
});
const ethRelayCases: HostileCase[] = [
  { name: "POST /eth_relay with an unknown registry key", request: ethRelay((w) => ({ ...permitCall(w, w.stranger.address, w.devnet.ethChain.contracts.staking, 1n), contractRegistryKey: "Governance" })), status: 400, code: "INVALID_INPUT" },
  { name: "POST /eth_relay with registry key __proto__", request: ethRelay((w) => ({ ...permitCall(w, w.stranger.address, w.devnet.ethChain.contracts.staking, 1n), contractRegistryKey: "__proto__" })), status: 400, code: "INVALID_INPUT" },
  { name: "POST /eth_relay with Token.transfer calldata", request: ethRelay((w) => ({ ...permitCall(w, w.stranger.address, w.devnet.ethChain.contracts.staking, 1n), encodedABI: token.encodeFunctionData("transfer", [w.stranger.address, 1n]) })), status: 400, code: "INVALID_INPUT" },
  { name: "POST /eth_relay with a permit to a spender other than Staking", request: ethRelay((w) => permitCall(w, w.stranger.address, w.stranger.address, 1n)), status: 400, code: "INVALID_INPUT" },
  { name: "POST /eth_relay with a permit of zero", request: ethRelay((w) => permitCall(w, w.stranger.address, w.devnet.ethChain.contracts.staking, 0n)), status: 400, code: "INVALID_INPUT" },
  { name: "POST /eth_relay with a permit whose owner is not the sender", request: ethRelay((w) => ({ ...permitCall(w, w.artist.wallet.address, w.devnet.ethChain.contracts.staking, 1n), senderAddress: w.stranger.address })), status: 401, code: "UNAUTHORIZED" },
  { name: "POST /eth_relay with a forged permit signature", request: ethRelay((w) => permitCall(w, w.artist.wallet.address, w.devnet.ethChain.contracts.staking, 10n ** 18n)), status: 401, code: "UNAUTHORIZED" },
  { name: "POST /eth_relay with garbage calldata for Token", request: ethRelay((w) => ({ ...permitCall(w, w.stranger.address, w.devnet.ethChain.contracts.staking, 1n), encodedABI: "0xdeadbeef" })), status: 400, code: "INVALID_INPUT" },
];

/** Social verification: the wallet's signature comes first; nothing is stored for a refused start. */
const start = (q: (w: World) => Promise<string> | string) => async (w: World) => get(`/verification/start?${await q(w)}`)(w);
const signedStart = async (w: World, signer: Wallet, userId: number, timestamp = Date.now()) =>
  `userId=${userId}&wallet=${signer.address}&timestamp=${timestamp}&signature=${await signData(signer, verificationStartData(userId, timestamp))}`;
const verificationCases: HostileCase[] = [
  { name: "GET /verification/start without parameters", request: start(() => ""), status: 400, code: "INVALID_INPUT" },
  { name: "GET /verification/start with an SQL userId", request: start((w) => `userId=1%20OR%201%3D1&wallet=${w.stranger.address}`), status: 400, code: "INVALID_INPUT" },
  { name: "GET /verification/start with userId given twice", request: start((w) => `userId=1&userId=2&wallet=${w.stranger.address}`), status: 400, code: "INVALID_INPUT" },
  { name: "GET /verification/start with a non-address wallet", request: start(() => "userId=1&wallet=me"), status: 400, code: "INVALID_INPUT" },
  { name: "GET /verification/start with a timestamp an hour old", request: start((w) => signedStart(w, w.artist.wallet, w.artist.id, Date.now() - 3_600_000)), status: 401, code: "UNAUTHORIZED" },
  { name: "GET /verification/start with timestamp=NaN", request: start((w) => `userId=${w.artist.id}&wallet=${w.artist.wallet.address}&timestamp=NaN&signature=0x`), status: 401, code: "UNAUTHORIZED" },
  { name: "GET /verification/start with a garbage signature", request: start((w) => `userId=${w.artist.id}&wallet=${w.artist.wallet.address}&timestamp=${Date.now()}&signature=0xdeadbeef`), status: 401, code: "UNAUTHORIZED" },
  { name: "GET /verification/start with the signature given twice", request: start(async (w) => `${await signedStart(w, w.artist.wallet, w.artist.id)}&signature=0x00`), status: 401, code: "UNAUTHORIZED" },
  { name: "GET /verification/start signed by a stranger for the artist's wallet", request: start(async (w) => (await signedStart(w, w.stranger, w.artist.id)).replace(w.stranger.address, w.artist.wallet.address)), status: 401, code: "UNAUTHORIZED" },
  { name: "GET /verification/start by a stranger for someone else's user", request: start((w) => signedStart(w, w.stranger, w.artist.id)), status: 401, code: "UNAUTHORIZED" },
  { name: "GET /verification/start for a user never created", request: start((w) => signedStart(w, w.stranger, 999_999_999)), status: 404, code: "NOT_FOUND" },
  { name: "GET /verification/callback without a state", request: get("/verification/callback?code=x"), status: 400, code: "INVALID_INPUT" },
  { name: "GET /verification/callback with an unknown state", request: get("/verification/callback?state=forged&code=x"), status: 400, code: "INVALID_INPUT" },
  { name: "GET /verification/callback with an SQL state", request: get("/verification/callback?state=%27%20OR%201%3D1--&code=x"), status: 400, code: "INVALID_INPUT" },
  { name: "GET /verification/callback with a provider error and no state", request: get("/verification/callback?error=access_denied&error_description=%3Cscript%3E"), status: 400, code: "INVALID_INPUT" },
];

const miscCases: HostileCase[] = [
  { name: "GET /health_check (identity) with junk query", request: get("/health_check?x=%00&y[]=1"), status: 200 },
  { name: "GET /relay (identity)", request: get("/relay"), status: [404, 405] },
  { name: "DELETE /authentication", request: (w) => ({ base: w.identity, method: "DELETE", path: `/authentication?lookupKey=${HEX64}` }), status: [404, 405] },
  { name: "PUT /user", request: (w) => ({ base: w.identity, method: "PUT", path: "/user", headers: JSON_HEADERS, body: "{}" }), status: [404, 405] },
  { name: "GET /authentication/../health_check (dot segments)", request: get("/authentication/../health_check"), status: 404, code: "NOT_FOUND" },
  { name: "GET /users/check with a raw NUL in the path", request: (w) => ({ base: w.identity, method: "GET", path: "", raw: rawRequest("GET", "/users/check\u0000?email=a@b.co") }), status: 400 },
  { name: "POST /relay (identity) with Transfer-Encoding and Content-Length", request: (w) => ({ base: w.identity, method: "POST", path: "", raw: rawRequest("POST", "/relay", ["Content-Type: application/json", "Content-Length: 2", "Transfer-Encoding: chunked"], "0\r\n\r\n") }), status: 400 },
  { name: "POST /authentication with a chunked body that never ends its chunks", request: (w) => ({ base: w.identity, method: "POST", path: "", raw: rawRequest("POST", "/authentication", ["Content-Type: application/json", "Transfer-Encoding: chunked"], "5\r\n{\"iv\"\r\nZZ\r\n") }), status: 400 },
];

export const IDENTITY_CASES: HostileCase[] = [
  ...jsonBodyCases, ...authCases, ...userCases, ...relayCases, ...ethRelayCases, ...verificationCases, ...miscCases,
];
