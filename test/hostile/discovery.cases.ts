import { expect } from "chai";
import { gzipSync } from "node:zlib";
import { encodeHashId } from "../../sdk/hashids";
import { signStreamAccess } from "../../sdk/signatures";
import { JSON_HEADERS, jsonOf, type HostileCase } from "./table";
import { rawRequest } from "./wire";
import type { World } from "./world";

/**
 * The discovery node's read API (/v1 and its /v1/full twin), /block_confirmation, POST /relay and
 * play reports, attacked by path, query, header and body. Reads are idempotent, so most rows also
 * pin the answer a well-formed read gets.
 */
const get = (path: string) => (w: World) => ({ base: w.discovery, method: "GET", path });
const MISSING = encodeHashId(999_999_999);
const UNSAFE = encodeHashId(2n ** 60n);

type IdRoute = { kind: "users" | "tracks" | "playlists"; suffix: string };
const ID_ROUTES: IdRoute[] = [
  ...["", "/tracks", "/playlists", "/followers", "/following", "/subscribers", "/reposts", "/favorites"].map((suffix) => ({ kind: "users" as const, suffix })),
  ...["", "/favorites", "/reposts", "/stream"].map((suffix) => ({ kind: "tracks" as const, suffix })),
  ...["", "/tracks", "/favorites", "/reposts"].map((suffix) => ({ kind: "playlists" as const, suffix })),
];
const idOf = (w: World, kind: IdRoute["kind"]) => (kind === "users" ? w.artist.hashid : kind === "tracks" ? w.track.hashid : w.playlist.hashid);

/** Ids that are not hashids (400), or hashids of nothing (404), as they appear in the path. */
const BAD_IDS: Array<{ label: string; id: string; status: number; code: string }> = [
  { label: "a bare integer instead of a hashid", id: "1", status: 400, code: "INVALID_INPUT" },
  { label: "a negative number", id: "-1", status: 400, code: "INVALID_INPUT" },
  { label: "an SQL string", id: "%27%20OR%20%271%27%3D%271", status: 400, code: "INVALID_INPUT" },
  { label: "an overlong id (4000 chars)", id: "a".repeat(4000), status: 400, code: "INVALID_INPUT" },
  { label: "an encoded NUL after a valid hashid", id: "7eP5n%00", status: 400, code: "INVALID_INPUT" },
  { label: "encoded slashes and dot segments", id: "..%2F..%2F..%2Fetc%2Fpasswd", status: 400, code: "INVALID_INPUT" },
  { label: "unicode (emoji) ids", id: "%F0%9F%8E%B5%F0%9F%8E%B5%F0%9F%8E%B5", status: 400, code: "INVALID_INPUT" },
  { label: "a broken percent-encoding", id: "7eP5n%E0%A4%A", status: 400, code: "INVALID_INPUT" },
  { label: "a hashid above 2^53", id: UNSAFE, status: 400, code: "INVALID_INPUT" },
  { label: "the hashid of an entity that does not exist", id: MISSING, status: 404, code: "NOT_FOUND" },
];

const idRouteCases: HostileCase[] = ID_ROUTES.flatMap(({ kind, suffix }) => [
  ...BAD_IDS.map((bad) => ({
    name: `GET /v1/${kind}/:id${suffix} with ${bad.label}`,
    request: get(`/v1/${kind}/${bad.id}${suffix}`),
    status: bad.status,
    code: bad.code,
  })),
  {
    name: `GET /v1/${kind}/:id${suffix} with a real id still answers`,
    request: (w: World) => get(`/v1/${kind}/${idOf(w, kind)}${suffix}`)(w),
    status: suffix === "/stream" ? 302 : 200,
  },
]);

/** The signed /v1/full twins refuse the same ids before signing anything. */
const fullTwinCases: HostileCase[] = (["users", "tracks", "playlists"] as const).flatMap((kind) => [
  ...BAD_IDS.filter((b) => ["an SQL string", "an encoded NUL after a valid hashid", "a broken percent-encoding", "the hashid of an entity that does not exist"].includes(b.label)).map((bad) => ({
    name: `GET /v1/full/${kind}/:id with ${bad.label}`,
    request: get(`/v1/full/${kind}/${bad.id}`),
    status: bad.status,
    code: bad.code,
  })),
  {
    name: `GET /v1/full/${kind}/:id with a real id is signed`,
    request: (w: World) => get(`/v1/full/${kind}/${idOf(w, kind)}`)(w),
    status: 200,
    check: (a: { body: Buffer }) => expect(jsonOf(a as never)).to.include.keys("signature", "timestamp", "latest_indexed_block"),
  },
]);

/** Headers the API must ignore or survive. */
const headerCases: HostileCase[] = [
  { name: "GET /v1/users/:id with forged Encoded-Data-* headers (ignored)", request: (w) => ({ ...get(`/v1/users/${w.artist.hashid}`)(w), headers: { "encoded-data-message": "forged", "encoded-data-signature": "0xdeadbeef" } }), status: 200 },
  { name: "GET /v1/users/:id asking for HTML still answers JSON", request: (w) => ({ ...get(`/v1/users/${w.artist.hashid}`)(w), headers: { accept: "text/html" } }), status: 200, check: (a) => expect(String(a.headers["content-type"])).to.match(/^application\/json/) },
  { name: "GET /v1/tracks/trending with a 12 kB cookie", request: (w) => ({ ...get("/v1/tracks/trending")(w), headers: { cookie: `s=${"c".repeat(12_000)}` } }), status: 200 },
  { name: "GET /v1/tracks/trending with 17 kB of headers", request: (w) => ({ ...get("/v1/tracks/trending")(w), headers: { "x-junk": "j".repeat(17_000) } }), status: 431, code: "PAYLOAD_TOO_LARGE" },
  { name: "GET /v1/users/:id with If-None-Match: * (no ETags here)", request: (w) => ({ ...get(`/v1/users/${w.artist.hashid}`)(w), headers: { "if-none-match": "*" } }), status: 200 },
  { name: "GET /v1/users/:id with Range: bytes=0-1 (JSON is not ranged)", request: (w) => ({ ...get(`/v1/users/${w.artist.hashid}`)(w), headers: { range: "bytes=0-1" } }), status: 200 },
  { name: "GET /v1/users/:id with a Content-Length body on a GET", request: (w) => ({ ...get(`/v1/users/${w.artist.hashid}`)(w), headers: { "content-type": "application/json" }, body: "{\"x\":1}" }), status: 200 },
];

/** Paging parameters that must be refused, and some that are odd but fine. */
const PAGING: Array<{ label: string; query: string; status: number }> = [
  { label: "a negative offset", query: "offset=-1", status: 400 },
  { label: "limit=NaN", query: "limit=NaN", status: 400 },
  { label: "an infinite limit (1e309)", query: "limit=1e309", status: 400 },
  { label: "a fractional limit", query: "limit=1.5", status: 400 },
  { label: "a repeated limit", query: "limit=5&limit=6", status: 400 },
  { label: "an encoded NUL as offset", query: "offset=%00", status: 400 },
  { label: "an offset above 2^53", query: "offset=9007199254740993", status: 200 },
  { label: "a huge limit (clamped to 500)", query: "limit=99999999999", status: 200 },
  { label: "an array-style limit[] (ignored)", query: "limit[]=5&offset[0]=2", status: 200 },
  { label: "limit=0", query: "limit=0", status: 200 },
];
const PAGED = [
  { label: "/v1/users/:id/followers", path: (w: World) => `/v1/users/${w.artist.hashid}/followers?` },
  { label: "/v1/users/:id/tracks", path: (w: World) => `/v1/users/${w.artist.hashid}/tracks?` },
  { label: "/v1/tracks/:id/favorites", path: (w: World) => `/v1/tracks/${w.track.hashid}/favorites?` },
  { label: "/v1/playlists/:id/tracks", path: (w: World) => `/v1/playlists/${w.playlist.hashid}/tracks?` },
  { label: "/v1/tracks/trending", path: () => `/v1/tracks/trending?time=allTime&` },
  { label: "/v1/users/search", path: () => `/v1/users/search?query=hostile&` },
];
const pagingCases: HostileCase[] = PAGED.flatMap((route) =>
  PAGING.map((p) => ({
    name: `GET ${route.label} with ${p.label}`,
    request: (w: World) => get(route.path(w) + p.query)(w),
    status: p.status,
    code: p.status === 400 ? "INVALID_INPUT" : undefined,
    check: (answer) => {
      if (answer.status === 200) expect(jsonOf(answer).data).to.be.an("array").with.length.at.most(500);
    },
  })),
);

/** FTS5 syntax, SQL and odd text as a search query: each is only ever words to look for. */
const SEARCHES: Array<{ label: string; query: string; status?: number }> = [
  { label: "a lone double quote", query: "%22" },
  { label: "an unterminated phrase", query: "%22hostile" },
  { label: "a bare star", query: "*" },
  { label: "FTS NEAR()", query: "NEAR(hostile%20tone)" },
  { label: "FTS boolean operators", query: "hostile%20AND%20OR%20NOT" },
  { label: "an FTS column filter", query: "title:hostile" },
  { label: "FTS ^ and - prefixes", query: "%5Ehostile%20-tone" },
  { label: "unbalanced parentheses", query: "((hostile" },
  { label: "a DROP TABLE injection", query: "%27%3B%20DROP%20TABLE%20tracks%3B--" },
  { label: "an OR 1=1 injection", query: "%27%20OR%201%3D1--" },
  { label: "a UNION SELECT injection", query: "x%27%20UNION%20SELECT%20*%20FROM%20users--" },
  { label: "LIKE wildcards", query: "%25_%25" },
  { label: "backslashes", query: "%5C%5C%5C" },
  { label: "an encoded NUL inside a word", query: "host%00ile" },
  { label: "emoji and RTL override", query: "%F0%9F%8E%B5%E2%80%AEevil" },
  { label: "only punctuation (no words)", query: "%21%40%23%24%5E%26" },
  { label: "1000 characters (the limit)", query: "a".repeat(1000) },
  { label: "1001 characters (over the limit)", query: "a".repeat(1001), status: 400 },
  { label: "the query given twice", query: "a&query=b", status: 400 },
  { label: "a broken percent-encoding", query: "%E0%A4%A" },
];
const searchCases: HostileCase[] = (["users", "tracks", "playlists"] as const).flatMap((kind) => [
  ...SEARCHES.map((s) => ({
    name: `GET /v1/${kind}/search with ${s.label}`,
    request: get(`/v1/${kind}/search?query=${s.query}`),
    status: s.status ?? 200,
    code: s.status ? "INVALID_INPUT" : undefined,
    check: (answer: { status: number; body: Buffer }) => {
      if (answer.status === 200) expect(jsonOf(answer as never).data).to.be.an("array");
    },
  })),
  { name: `GET /v1/${kind}/search without a query`, request: get(`/v1/${kind}/search`), status: 400, code: "INVALID_INPUT" },
]);

const trendingCases: HostileCase[] = [
  ...["bogus", "__proto__", "constructor", "toString", "hasOwnProperty", "week%00"].map((time) => ({
    name: `GET /v1/tracks/trending with time=${time}`,
    request: get(`/v1/tracks/trending?time=${time}`),
    status: 400,
    code: "INVALID_INPUT",
  })),
  { name: "GET /v1/tracks/trending with time given twice", request: get("/v1/tracks/trending?time=week&time=month"), status: 400, code: "INVALID_INPUT" },
  { name: "GET /v1/tracks/trending with an SQL genre", request: get("/v1/tracks/trending?genre=%27%20OR%20%271%27%3D%271"), status: 200, check: (a) => expect(jsonOf(a).data).to.deep.equal([]) },
  { name: "GET /v1/tracks/trending with a 1001-char genre", request: get(`/v1/tracks/trending?genre=${"g".repeat(1001)}`), status: 400, code: "INVALID_INPUT" },
  { name: "GET /v1/tracks/trending with genre in other case still matches", request: get("/v1/tracks/trending?time=allTime&genre=eLeCtRoNiC"), status: 200, check: (a, w) => expect(jsonOf(a).data.map((t: { id: string }) => t.id)).to.include(w.track.hashid) },
  { name: "GET /v1/full/tracks/trending with unknown params and api_key", request: get("/v1/full/tracks/trending?api_key=x&app_name=%3Cscript%3E&zzz=1"), status: 200 },
];

const zeroHash = `0x${"0".repeat(64)}`;
const systemCases: HostileCase[] = [
  { name: "GET /block_confirmation without parameters", request: get("/block_confirmation"), status: 400, code: "INVALID_INPUT" },
  { name: "GET /block_confirmation with a negative block", request: get(`/block_confirmation?blocknumber=-1&blockhash=${zeroHash}`), status: 400, code: "INVALID_INPUT" },
  { name: "GET /block_confirmation with blocknumber=NaN", request: get(`/block_confirmation?blocknumber=NaN&blockhash=${zeroHash}`), status: 400, code: "INVALID_INPUT" },
  { name: "GET /block_confirmation with blocknumber=1e309", request: get(`/block_confirmation?blocknumber=1e309&blockhash=${zeroHash}`), status: 400, code: "INVALID_INPUT" },
  { name: "GET /block_confirmation with a fractional block", request: get(`/block_confirmation?blocknumber=1.5&blockhash=${zeroHash}`), status: 400, code: "INVALID_INPUT" },
  { name: "GET /block_confirmation with a non-hex blockhash", request: get("/block_confirmation?blocknumber=1&blockhash=0xZZ"), status: 400, code: "INVALID_INPUT" },
  { name: "GET /block_confirmation with an SQL blockhash", request: get("/block_confirmation?blocknumber=1&blockhash=%27%20OR%201%3D1--"), status: 400, code: "INVALID_INPUT" },
  { name: "GET /block_confirmation with blockhash given twice", request: get(`/block_confirmation?blocknumber=1&blockhash=${zeroHash}&blockhash=${zeroHash}`), status: 400, code: "INVALID_INPUT" },
  { name: "GET /block_confirmation for a far future block is not passed", request: get(`/block_confirmation?blocknumber=99999999999&blockhash=${zeroHash}`), status: 200, check: (a) => expect(jsonOf(a).data).to.deep.equal({ block_found: false, block_passed: false }) },
  { name: "GET /block_confirmation with a wrong hash for block 1 is not found", request: get(`/block_confirmation?blocknumber=1&blockhash=${zeroHash}`), status: 200, check: (a) => expect(jsonOf(a).data.block_found).to.equal(false) },
  { name: "GET /v1/transactions/:txhash with a short hash", request: get("/v1/transactions/0x1234"), status: 400, code: "INVALID_INPUT" },
  { name: "GET /v1/transactions/:txhash with an SQL string", request: get("/v1/transactions/%27%20OR%201%3D1--"), status: 400, code: "INVALID_INPUT" },
  { name: "GET /v1/transactions/:txhash with an unknown hash", request: get(`/v1/transactions/${zeroHash}`), status: 404, code: "NOT_FOUND" },
  { name: "GET /v1/transactions/:txhash with dot segments", request: get("/v1/transactions/..%2F..%2Fhealth_check"), status: 400, code: "INVALID_INPUT" },
  { name: "GET /v1/users/account/:wallet with a short address", request: get("/v1/users/account/0x1234"), status: 400, code: "INVALID_INPUT" },
  { name: "GET /v1/users/account/:wallet with an SQL string", request: get("/v1/users/account/%27%20OR%20%271%27%3D%271"), status: 400, code: "INVALID_INPUT" },
  { name: "GET /v1/users/account/:wallet with a wallet that owns no user", request: (w) => get(`/v1/users/account/${w.stranger.address}`)(w), status: 404, code: "NOT_FOUND" },
  { name: "GET /v1/users/account/:wallet in upper case finds the owner", request: (w) => get(`/v1/users/account/0x${w.artist.wallet.address.slice(2).toUpperCase()}`)(w), status: 200, check: (a, w) => expect(jsonOf(a).data.id).to.equal(w.artist.hashid) },
  { name: "GET /v1/users/handle/:handle with an SQL handle", request: get("/v1/users/handle/%27%20OR%20%271%27%3D%271"), status: 404, code: "NOT_FOUND" },
  { name: "GET /v1/users/handle/:handle with a LIKE wildcard", request: get("/v1/users/handle/hostile%25"), status: 404, code: "NOT_FOUND" },
  { name: "GET /v1/users/handle/:handle with 4000 chars", request: get(`/v1/users/handle/${"h".repeat(4000)}`), status: 404, code: "NOT_FOUND" },
  { name: "GET /v1/users/handle/:handle with an encoded NUL", request: get("/v1/users/handle/hostile_artist%00"), status: 404, code: "NOT_FOUND" },
  { name: "GET /v1/users/handle/:handle with a broken percent-encoding", request: get("/v1/users/handle/%E0%A4%A"), status: 400, code: "INVALID_INPUT" },
  { name: "GET /v1/users/handle/:handle in upper case finds the user", request: get("/v1/users/handle/HOSTILE_ARTIST"), status: 200 },
  ...(["users", "tracks", "playlists"] as const).map((kind) => ({ name: `GET /v1/${kind}/unclaimed_id with junk params`, request: get(`/v1/${kind}/unclaimed_id?offset=-1&x=%00`), status: 200 })),
  { name: "GET /v1/tracks/trending with 1500 query parameters", request: get(`/v1/tracks/trending?${Array.from({ length: 1500 }, (_, i) => `p${i}=1`).join("&")}`), status: 200 },
  { name: "GET /v1/tracks/trending with __proto__ and constructor query keys", request: get("/v1/tracks/trending?__proto__=x&constructor=y&__proto__[time]=z&hasOwnProperty=1"), status: 200 },
  { name: "GET /v1/users/search with the query in a __proto__ key", request: get("/v1/users/search?__proto__[query]=hostile"), status: 400, code: "INVALID_INPUT" },
  { name: "GET /health_check with junk query parameters", request: get("/health_check?verbose=%00&x[]=1&x=2"), status: 200 },
];

/** The same path written in ways a router might normalize, and some it must not. */
const pathCases: HostileCase[] = [
  { name: "GET /v1/users/../tracks/:id (dot segments are not resolved)", request: (w) => get(`/v1/users/../tracks/${w.track.hashid}`)(w), status: [400, 404] },
  { name: "GET /v1/users/%2e%2e/tracks (encoded dot segment as id)", request: get("/v1/users/%2e%2e/tracks"), status: 400, code: "INVALID_INPUT" },
  { name: "GET /v1//users/:id (double slash)", request: (w) => get(`/v1//users/${w.artist.hashid}`)(w), status: [200, 404] },
  { name: "GET /v1/users/:id/ (trailing slash)", request: (w) => get(`/v1/users/${w.artist.hashid}/`)(w), status: 200 },
  { name: "GET /v1/users/:id;param (matrix parameter)", request: (w) => get(`/v1/users/${w.artist.hashid};x=1`)(w), status: 400, code: "INVALID_INPUT" },
  { name: "GET /V1/USERS/:id (upper-case route)", request: (w) => get(`/V1/USERS/${w.artist.hashid}`)(w), status: [200, 404] },
  { name: "GET /v1/full/users/:id/../../health_check", request: (w) => get(`/v1/full/users/${w.artist.hashid}/../../health_check`)(w), status: 404, code: "NOT_FOUND" },
  { name: "GET an absolute-form request target", request: (w) => get(`${w.discovery}/v1/users/${w.artist.hashid}`)(w), status: [200, 404] },
  { name: "GET a path that is only slashes", request: get("//////"), status: 404, code: "NOT_FOUND" },
  { name: "GET /v1/users/:id with a raw NUL byte in the path", request: (w) => ({ base: w.discovery, method: "GET", path: "", raw: rawRequest("GET", `/v1/users/${w.artist.hashid}\u0000x`) }), status: 400 },
  { name: "GET /v1/users/:id with a raw space in the path", request: (w) => ({ base: w.discovery, method: "GET", path: "", raw: rawRequest("GET", "/v1/users/a b") }), status: 400 },
  { name: "GET /v1/users/handle/:handle with raw UTF-8 bytes in the path", request: (w) => ({ base: w.discovery, method: "GET", path: "", raw: rawRequest("GET", Buffer.from("/v1/users/handle/ñandú🎵", "utf8")) }), status: [400, 404] },
  { name: "GET /v1/users/:id with a 100 kB path", request: get(`/v1/users/${"x".repeat(100_000)}`), status: [400, 414, 431] },
];

/** Verbs nobody serves: a JSON 404, never a dropped connection. */
const methodCases: HostileCase[] = [
  ...["PUT", "DELETE", "PATCH"].map((method) => ({ name: `${method} /v1/users/:id`, request: (w: World) => ({ base: w.discovery, method, path: `/v1/users/${w.artist.hashid}`, headers: JSON_HEADERS, body: "{}" }), status: [404, 405] })),
  { name: "POST /v1/tracks/trending", request: (w) => ({ base: w.discovery, method: "POST", path: "/v1/tracks/trending", headers: JSON_HEADERS, body: "{}" }), status: [404, 405] },
  { name: "GET /relay", request: get("/relay"), status: [404, 405] },
  { name: "DELETE /health_check", request: (w) => ({ base: w.discovery, method: "DELETE", path: "/health_check" }), status: [404, 405] },
  { name: "TRACE /v1/users/:id", request: (w) => ({ base: w.discovery, method: "TRACE", path: `/v1/users/${w.artist.hashid}` }), status: [404, 405] },
  { name: "an unknown verb (BREW /)", request: (w) => ({ base: w.discovery, method: "", path: "", raw: rawRequest("BREW", "/") }), status: [400, 404, 405, 501] },
  { name: "OPTIONS /v1/users/:id", request: (w) => ({ base: w.discovery, method: "OPTIONS", path: `/v1/users/${w.artist.hashid}` }), status: [200, 204, 404] },
  { name: "HEAD /v1/users/:id", request: (w) => ({ base: w.discovery, method: "HEAD", path: `/v1/users/${w.artist.hashid}` }), status: 200 },
];

const forgedStream = async (w: World, edit: (data: Record<string, unknown>) => void) => {
  const env = JSON.parse(await w.streamSignature()) as { data: string; signature: string };
  const data = JSON.parse(env.data);
  edit(data);
  return JSON.stringify({ data: JSON.stringify(data), signature: env.signature });
};
const play = (body: string | Buffer, headers: Record<string, string> = JSON_HEADERS, id?: string) => (w: World) => ({
  base: w.discovery, method: "POST", path: `/v1/tracks/${id ?? w.track.hashid}/plays`, headers, body,
});
/** Play reports that must never count: the play_count is checked after the table. */
const playCases: HostileCase[] = [
  { name: "POST /v1/tracks/:id/plays with no body", request: play(""), status: 401, code: "UNAUTHORIZED" },
  { name: "POST /v1/tracks/:id/plays with broken JSON", request: play("{\"signature\":"), status: 400, code: "INVALID_INPUT" },
  { name: "POST /v1/tracks/:id/plays with a JSON string body", request: play("\"x\""), status: 400, code: "INVALID_INPUT" },
  { name: "POST /v1/tracks/:id/plays as text/plain", request: play("signature=x", { "content-type": "text/plain" }), status: 401, code: "UNAUTHORIZED" },
  { name: "POST /v1/tracks/:id/plays with a signature that is not JSON", request: play(JSON.stringify({ signature: "not json" })), status: 401, code: "UNAUTHORIZED" },
  { name: "POST /v1/tracks/:id/plays with the signature as an object", request: play(JSON.stringify({ signature: { data: "{}", signature: "0x" } })), status: 401, code: "UNAUTHORIZED" },
  { name: "POST /v1/tracks/:id/plays signed by a stranger", request: async (w) => play(JSON.stringify({ signature: await signStreamAccess(w.stranger, { cid: w.track.cid, timestamp: Date.now(), trackId: w.track.id }) }))(w), status: 401, code: "UNAUTHORIZED" },
  { name: "POST /v1/tracks/:id/plays with the signed data edited (another CID)", request: async (w) => play(JSON.stringify({ signature: await forgedStream(w, (d) => (d.cid = w.track.origCid)) }))(w), status: 401, code: "UNAUTHORIZED" },
  { name: "POST /v1/tracks/:id/plays with the signed data edited (older timestamp)", request: async (w) => play(JSON.stringify({ signature: await forgedStream(w, (d) => (d.timestamp = 1)) }))(w), status: 401, code: "UNAUTHORIZED" },
  { name: "POST /v1/tracks/:id/plays for a track that does not exist", request: async (w) => play(JSON.stringify({ signature: await w.streamSignature() }), JSON_HEADERS, MISSING)(w), status: 404, code: "NOT_FOUND" },
  { name: "POST /v1/tracks/:id/plays with a 20 kB body", request: play(JSON.stringify({ signature: "x".repeat(20_000) })), status: 413, code: "PAYLOAD_TOO_LARGE" },
  { name: "POST /v1/tracks/:id/plays with a gzip bomb", request: play(gzipSync(Buffer.concat([Buffer.from("{\"signature\":\""), Buffer.alloc(10 * 1024 * 1024, 0x30), Buffer.from("\"}")])), { "content-type": "application/json", "content-encoding": "gzip" }), status: 413, code: "PAYLOAD_TOO_LARGE" },
  { name: "POST /v1/tracks/:id/plays with a 30 MB body (refused before it is read)", request: play(Buffer.alloc(30 * 1024 * 1024, 0x20)), status: 413, code: "PAYLOAD_TOO_LARGE" },
  { name: "POST /v1/tracks/:id/plays for a bad hashid with a 30 MB body", request: (w) => play(Buffer.alloc(30 * 1024 * 1024, 0x20), JSON_HEADERS, "%00")(w), status: [400, 413] },
  { name: "POST /v1/tracks/:id/plays with a bad hashid", request: (w) => play("{}", JSON_HEADERS, "%00")(w), status: 400, code: "INVALID_INPUT" },
];

const relay = (body: string | Buffer, headers: Record<string, string> = JSON_HEADERS) => (w: World) => ({ base: w.discovery, method: "POST", path: "/relay", headers, body });
/** POST /relay on the discovery node: refused here or by the identity service, the answer comes back intact. */
const relayCases: HostileCase[] = [
  { name: "POST /relay (discovery) with broken JSON", request: relay("{\"encodedABI\":"), status: 400, code: "INVALID_INPUT" },
  { name: "POST /relay (discovery) with an empty object", request: relay("{}"), status: 400, code: "INVALID_INPUT" },
  { name: "POST /relay (discovery) with a JSON array", request: relay("[1,2,3]"), status: 400, code: "INVALID_INPUT" },
  { name: "POST /relay (discovery) as text/plain", request: relay("hello", { "content-type": "text/plain" }), status: 400, code: "INVALID_INPUT" },
  { name: "POST /relay (discovery) with a 3 MB body", request: relay(JSON.stringify({ encodedABI: "0x" + "00".repeat(1_500_000) })), status: 413, code: "PAYLOAD_TOO_LARGE" },
  { name: "POST /relay (discovery) with a 30 MB body (refused before it is read)", request: relay(Buffer.alloc(30 * 1024 * 1024, 0x20)), status: 413, code: "PAYLOAD_TOO_LARGE" },
  { name: "POST /relay (discovery) with an unsupported charset", request: relay("{}", { "content-type": "application/json; charset=koi8-r" }), status: 415 },
  { name: "POST /relay (discovery) with an unknown content-encoding", request: relay("{}", { "content-type": "application/json", "content-encoding": "compress" }), status: 415 },
  { name: "POST /relay (discovery) with a gzip body that is not gzip", request: relay("{}", { "content-type": "application/json", "content-encoding": "gzip" }), status: 400 },
  { name: "POST /relay (discovery) replaying a mined action", request: (w) => relay(JSON.stringify(w.minedRelayBody))(w), status: 409, code: "CONFLICT" },
  { name: "POST /relay (discovery) with a gzip bomb (inflating to 10 MB)", request: relay(gzipSync(Buffer.concat([Buffer.from("{\"encodedABI\":\""), Buffer.alloc(10 * 1024 * 1024, 0x30), Buffer.from("\"}")])), { "content-type": "application/json", "content-encoding": "gzip" }), status: 413, code: "PAYLOAD_TOO_LARGE" },
  { name: "POST /relay (discovery) with __proto__ keys", request: relay("{\"__proto__\":{\"contractRegistryKey\":\"EntityManager\"},\"constructor\":{\"prototype\":{}}}"), status: 400, code: "INVALID_INPUT" },
];

export const DISCOVERY_CASES: HostileCase[] = [
  ...idRouteCases, ...fullTwinCases, ...headerCases, ...pagingCases, ...searchCases, ...trendingCases, ...systemCases, ...pathCases, ...methodCases, ...playCases, ...relayCases,
];
