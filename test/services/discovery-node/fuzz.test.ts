import { expect } from "chai";
import fc from "fast-check";
import { AbiCoder, concat, getBytes, keccak256, toUtf8Bytes, type Wallet } from "ethers";
import { entityManagerDomainSeparator, MANAGE_ENTITY_TYPEHASH, randomNonce } from "../../../sdk/eip712";
import { DEVNET_ROLES } from "../../../devnet/accounts";
import { wellFormed } from "../../../devnet/services/discovery-node/metadata";
import { sendWorkload, signWorkload } from "./workload";
import { hid, meta, startDiscoveryFixture, type DiscoveryFixture, BACKEND } from "./fixture";

/** Hostile strings, hand-picked and generated (seeded, so a failure reproduces). */
function hostileStrings(): string[] {
  const picked = [
    "", "{", "}", "[", "null", "true", "0", "-1", "1e309", "NaN", "undefined", '"string"', "{}", "[]", '{"data":null}',
    '{"data":[]}', '{"data":1}', '{"data":"x"}', '{"cid":"","data":{}}x', '{"data":{}', "\u0000", "\u0000{}", "\uFEFF{}",
    "'; DROP TABLE users; --", "Robert'); DELETE FROM tracks;--", "1 OR 1=1", "\" OR \"\"=\"", "%' AND 1=0 UNION SELECT * FROM users --",
    "<script>alert(1)</script>", "<img src=x onerror=alert(document.cookie)>", "</title><h1>x</h1>", "javascript:alert(1)",
    "&lt;b&gt;&amp;", "{{7*7}}", "${process.exit(1)}", "`rm -rf /`", "../../../../etc/passwd", "C:\\Windows\\system32",
    "🎵🎶🔥", "👨‍👩‍👧‍👦", "مرحبا بالعالم", "\u202Eevil\u202C", "z\u0351\u0352\u0353\u0354\u0355\u0356\u0357", "\u200B\u200C\u200D",
    "日本語のタイトル", "Ωmega ǅ ß ﬃ", "\ud800", "\udfff\ud800", "a\u0000b", "\r\n\t\b\f\v", "\\", "\\u0000", "%00", "%s%s%s%n",
    "x".repeat(257), "y".repeat(2501), "z".repeat(5000), "w".repeat(100_000), "🎵".repeat(3000),
    '{"__proto__":{"polluted":true}}', '{"data":{"__proto__":{"title":"x"}}}', '{"constructor":{"prototype":{"x":1}}}',
    JSON.stringify({ data: { title: { $gt: "" } } }), JSON.stringify({ data: { title: ["a", "b"] } }),
  ];
  const generated = fc.sample(
    fc.oneof(
      fc.string({ unit: "binary", maxLength: 200 }),
      fc.string({ unit: "grapheme", maxLength: 60 }),
      fc.json({ maxDepth: 3 }),
      fc.string({ unit: fc.constantFrom("{", "}", "[", "]", '"', ":", ",", "\\", "'", ";", "<", ">", "a", "0", " ", "\u0000"), maxLength: 80 }),
    ),
    { seed: 4242, numRuns: 70 },
  );
  return [...picked, ...generated];
}

/** The values metadata fields get: wrong types and hostile strings. */
function hostileValues(strings: string[]): unknown[] {
  return [
    ...strings,
    null, 0, -1, 1.5, 1e308, -0, true, false, [], {}, ["a"], { nested: { deeper: ["x"] } }, Number.MAX_SAFE_INTEGER + 2,
  ];
}

interface Sent {
  label: string;
  txhash: string;
  kind: "user" | "track" | "playlist" | "raw";
  id: number;
  field?: string;
  value?: unknown;
}

describe(`discovery node (${BACKEND}): hostile metadata through the real contract`, function () {
  this.timeout(120_000);
  let f: DiscoveryFixture;
  let owner: Wallet;
  let ownerId: number;
  const sent: Sent[] = [];

  before(async () => {
    f = await startDiscoveryFixture();
    owner = f.newWallet();
    ownerId = await f.createUser(owner, "fuzz_owner");
  });
  after(async () => f?.close());

  it("rejects a NUL character in a text field on every backend, records NUL in event strings as U+FFFD, and keeps indexing", async () => {
    const outcome = async (entityType: string, id: number, action: string, data: Record<string, unknown>) =>
      f.outcome((await f.act(owner, { userId: ownerId, entityType, entityId: id, action, metadata: meta(data) })).transactionHash);
    const nul = f.nextId("track");
    const o = await outcome("Track", nul, "Create", { owner_id: ownerId, title: "a\u0000b" });
    expect(o).to.include({ status: "rejected", code: "invalid" });
    expect(o.reason).to.match(/title contains a NUL character/);
    expect((await f.get(`/v1/tracks/${hid(nul)}`)).status).to.equal(404);
    // PostgreSQL text cannot hold U+0000: recorded with the rejection as U+FFFD instead
    expect(await outcome("Track\u0000", nul, "Create", { title: "x" })).to.deep.equal({ status: "rejected", reason: "unsupported action Track\uFFFD Create", code: "invalid" });
    const next = f.nextId("track");
    expect((await outcome("Track", next, "Create", { owner_id: ownerId, title: "after" })).status).to.equal("applied");
    expect((await outcome("Track", next, "Delete", {})).status).to.equal("applied");
  });

  it("indexes ≥ 200 hostile actions without a crash; each is rejected or stored exactly", async () => {
    const t0 = Date.now();
    const strings = hostileStrings();
    const values = hostileValues(strings);
    // actions are planned first, then signed and mined 50 per block; `txhash` is filled in after sending
    const planned: Array<{ signer: Wallet; message: { userId: number; entityType: string; entityId: number; action: string; metadata: string } }> = [];
    const send = async (signer: Wallet, m: { userId: number; entityType: string; entityId: number; action: string; metadata: string }) => {
      planned.push({ signer, message: m });
      return "";
    };

    // 1. hostile strings as the whole metadata of Track Create (a lone surrogate has no UTF-8 form to sign;
    //    inside JSON below it travels escaped, and part 3 sends bytes that are not UTF-8 at all)
    for (const s of strings.map(wellFormed)) {
      const id = f.nextId("track");
      sent.push({ label: `raw ${JSON.stringify(s).slice(0, 40)}`, kind: "raw", id, txhash: await send(owner, { userId: ownerId, entityType: "Track", entityId: id, action: "Create", metadata: s }) });
    }
    // 2. hostile values in each kind of field
    const trackFields = ["title", "genre", "mood", "tags", "description", "orig_filename", "release_date", "track_cid", "cover_art_sizes", "duration", "is_downloadable", "owner_id"];
    const userFields = ["handle", "name", "bio", "location", "profile_picture_sizes"];
    const playlistFields = ["playlist_name", "description", "is_album", "playlist_contents"];
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      const tf = trackFields[i % trackFields.length];
      const tid = f.nextId("track");
      const trackData: Record<string, unknown> = { owner_id: ownerId, title: "ok", [tf]: value };
      sent.push({ label: `track.${tf}`, kind: "track", id: tid, field: tf, value, txhash: await send(owner, { userId: ownerId, entityType: "Track", entityId: tid, action: "Create", metadata: meta(trackData) }) });
      if (i % 2 === 0) {
        const uf = userFields[(i / 2) % userFields.length];
        const w = f.newWallet();
        const uid = f.nextId("user");
        const userData: Record<string, unknown> = { handle: `h${i}`, [uf]: value };
        sent.push({ label: `user.${uf}`, kind: "user", id: uid, field: uf, value, txhash: await send(w, { userId: uid, entityType: "User", entityId: uid, action: "Create", metadata: meta(userData) }) });
      } else {
        const pf = playlistFields[((i - 1) / 2) % playlistFields.length];
        const pid = f.nextId("playlist");
        const playlistData: Record<string, unknown> = { playlist_name: "ok", [pf]: value };
        sent.push({ label: `playlist.${pf}`, kind: "playlist", id: pid, field: pf, value, txhash: await send(owner, { userId: ownerId, entityType: "Playlist", entityId: pid, action: "Create", metadata: meta(playlistData) }) });
      }
    }
    const hashes = await sendWorkload(f.fx, signWorkload(planned, f.fx.entityManagerAddress), 50);
    hashes.forEach((h, i) => (sent[i].txhash = h));
    // 3. bytes that are not UTF-8 at all, signed over the raw bytes (the contract takes any bytes)
    for (const raw of ["0xff", "0xc3", "0x7b2264617461223a7bff7d7d", "0xed a0 80".replace(/ /g, "")]) {
      const id = f.nextId("track");
      sent.push({ label: `bytes ${raw}`, kind: "raw", id, txhash: await sendRawBytesMetadata(f, owner, ownerId, id, raw) });
    }
    expect(sent.length).to.be.at.least(200);

    const sentAt = Date.now();
    await f.waitHead();

    console.log(`      sent ${sent.length} in ${sentAt - t0} ms, indexed ${Date.now() - sentAt} ms later`);
    let applied = 0;
    for (const s of sent) {
      const o = await f.outcome(s.txhash);
      expect(o.status, s.label).to.be.oneOf(["applied", "rejected"]);
      const path = s.kind === "user" ? `/v1/users/${hid(s.id)}` : s.kind === "playlist" ? `/v1/playlists/${hid(s.id)}` : `/v1/tracks/${hid(s.id)}`;
      const res = await f.get(path);
      if (o.status === "rejected") {
        expect(o.reason, s.label).to.be.a("string").that.is.not.empty;
        expect(res.status, `${s.label} rejected but visible`).to.equal(404);
        continue;
      }
      applied++;
      expect(res.status, s.label).to.equal(200);
      const entity = s.kind === "playlist" ? res.body.data[0] : res.body.data;
      if (s.field && typeof s.value === "string" && entity[s.field] !== undefined) {
        // stored and served exactly as sent (lone surrogates cannot be stored in UTF-8: they become U+FFFD)
        expect(entity[s.field], s.label).to.equal(wellFormed(s.value as string));
      }
    }
    expect(applied, "some hostile but well-typed values are stored").to.be.greaterThan(20);

    const health = (await f.get("/health_check")).body.data;
    expect(health.healthy).to.equal(true);
    expect(health.block_difference).to.be.at.most(1);
    // the index is intact: the owner still exists and search still answers for hostile queries
    expect((await f.get(`/v1/users/${hid(ownerId)}`)).body.data.handle).to.equal("fuzz_owner");
    for (const q of strings.slice(0, 60)) {
      const res = await fetch(`${f.url}/v1/tracks/search?query=${encodeURIComponent(wellFormed(q.slice(0, 900)))}`);
      expect(res.status, JSON.stringify(q)).to.be.oneOf([200, 400]);
      expect(res.headers.get("content-type")).to.match(/^application\/json/);
    }
  });
});

/** Send a Track Create whose metadata is arbitrary bytes: the string ABI slot read as bytes, signed over those bytes. */
async function sendRawBytesMetadata(f: DiscoveryFixture, signer: Wallet, userId: number, entityId: number, metadataHex: string): Promise<string> {
  const abi = AbiCoder.defaultAbiCoder();
  const nonce = randomNonce();
  const metadata = getBytes(metadataHex);
  const structHash = keccak256(
    abi.encode(
      ["bytes32", "uint256", "bytes32", "uint256", "bytes32", "bytes32", "bytes32"],
      [MANAGE_ENTITY_TYPEHASH, userId, keccak256(toUtf8Bytes("Track")), entityId, keccak256(toUtf8Bytes("Create")), keccak256(metadata), nonce],
    ),
  );
  const domain = entityManagerDomainSeparator({ chainId: 1056801, verifyingContract: f.fx.entityManagerAddress });
  const signature = signer.signingKey.sign(keccak256(concat(["0x1901", domain, structHash]))).serialized;
  const args = abi.encode(
    ["uint256", "string", "uint256", "string", "bytes", "bytes32", "bytes"],
    [userId, "Track", entityId, "Create", metadata, nonce, signature],
  );
  const sender = f.fx.wallet(DEVNET_ROLES.relayers[2]);
  const tx = await sender.sendTransaction({ to: f.fx.entityManagerAddress, data: concat(["0xd622c72d", args]) });
  return (await tx.wait())!.hash;
}
