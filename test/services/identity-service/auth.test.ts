import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import axios from "axios";
import Database from "better-sqlite3";
import { Wallet, getBytes } from "ethers";
import { changePassword, deriveCredentialKeys, encryptWalletEntropy, getWallet, logIn, signUp } from "../../../sdk/auth";
import { isAsixError } from "../../../sdk/errors";
import { signEmailLink } from "../../../sdk/auth/emailLink";
import { createUser, manageEntityEvents, post, startIdentityFixture, type IdentityFixture } from "./fixture";

async function expectCode(p: Promise<unknown>, code: string): Promise<Error> {
  try {
    await p;
  } catch (e) {
    expect(isAsixError(e), String(e)).to.equal(true);
    expect((e as { code: string }).code).to.equal(code);
    return e as Error;
  }
  throw new Error(`expected AsixError ${code}, but it succeeded`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

describe("identity service: wallet auth (sdk/auth)", function () {
  let f: IdentityFixture;
  let identityUrl: string;

  before(async () => {
    f = await startIdentityFixture();
    identityUrl = f.service.url;
  });
  after(async () => f?.close());

  it("signs up, then logs in on a fresh call to the same wallet", async () => {
    const created = await signUp({ identityUrl, email: "Ada@Example.org ", password: "correct horse battery" });
    expect(created.email).to.equal("ada@example.org");
    const opened = await logIn({ identityUrl, email: "ada@example.org", password: "correct horse battery" });
    expect(opened.walletAddress).to.equal(created.walletAddress);
    expect(opened.wallet.privateKey).to.equal(created.wallet.privateKey);
  });

  it("signs up again with the same credentials to the same wallet, and with another password to a separate one", async () => {
    const first = await signUp({ identityUrl, email: "twice@example.org", password: "password-one" });
    const again = await signUp({ identityUrl, email: "twice@example.org", password: "password-one" });
    expect(again.walletAddress).to.equal(first.walletAddress);
    // the service never says an email is known, so another password is another wallet, and both open
    const other = await signUp({ identityUrl, email: "twice@example.org", password: "password-two" });
    expect(other.walletAddress).to.not.equal(first.walletAddress);
    expect((await logIn({ identityUrl, email: "twice@example.org", password: "password-one" })).walletAddress).to.equal(first.walletAddress);
    expect((await logIn({ identityUrl, email: "twice@example.org", password: "password-two" })).walletAddress).to.equal(other.walletAddress);
  });

  it("fails a wrong password cleanly with INVALID_CREDENTIALS", async () => {
    await signUp({ identityUrl, email: "bob@example.org", password: "bob-password" });
    const e = await expectCode(logIn({ identityUrl, email: "bob@example.org", password: "not-bobs-password" }), "INVALID_CREDENTIALS");
    expect(e.message).to.equal("email or password is incorrect");
  });

  it("keeps the wallet through a change of password, and retires the old one", async () => {
    const created = await signUp({ identityUrl, email: "cy@example.org", password: "first-password" });
    await expectCode(
      changePassword({ identityUrl, email: "cy@example.org", oldPassword: "wrong-password", newPassword: "second-password" }),
      "INVALID_CREDENTIALS",
    );
    const changed = await changePassword({ identityUrl, email: "cy@example.org", oldPassword: "first-password", newPassword: "second-password" });
    expect(changed.walletAddress).to.equal(created.walletAddress);
    expect((await logIn({ identityUrl, email: "cy@example.org", password: "second-password" })).walletAddress).to.equal(created.walletAddress);
    await expectCode(logIn({ identityUrl, email: "cy@example.org", password: "first-password" }), "INVALID_CREDENTIALS");
  });

  it("stores no email, password or key in any encoding", async () => {
    const email = "dee@example.org";
    const password = "dee-secret-pass";
    const created = await signUp({ identityUrl, email, password });
    const keys = await deriveCredentialKeys(email, password);
    const db = new Database(path.join(f.dir, "identity.sqlite"), { readonly: true });
    const row = db.prepare("SELECT * FROM authentications WHERE lookup_key = ?").get(keys.lookupKey) as Record<string, string>;
    db.close();
    expect(row, "the ciphertext is stored under the lookup key").to.not.equal(undefined);
    const stored = Object.values(row).join("|");
    const storedLower = stored.toLowerCase();
    const bytesOf = (s: string) => Buffer.from(s.replace(/^0x/, ""), "hex");
    const secrets: { name: string; bytes: Buffer }[] = [
      { name: "email", bytes: Buffer.from(email) },
      { name: "password", bytes: Buffer.from(password) },
      { name: "encryption key", bytes: Buffer.from(keys.encryptionKey) },
      { name: "private key", bytes: bytesOf(created.wallet.privateKey) },
      { name: "entropy", bytes: bytesOf(created.wallet.mnemonic!.entropy) },
      { name: "mnemonic", bytes: Buffer.from(created.wallet.mnemonic!.phrase) },
    ];
    for (const s of secrets) {
      for (const [encoding, text] of [
        ["hex", s.bytes.toString("hex")],
        ["base64", s.bytes.toString("base64").replace(/=+$/, "")],
        ["base64url", s.bytes.toString("base64url")],
        ["utf8", s.bytes.toString("utf8")],
        ["latin1", s.bytes.toString("latin1")],
      ] as const) {
        expect(encoding === "hex" ? storedLower.includes(text) : stored.includes(text), `${s.name} as ${encoding}`).to.equal(false);
      }
    }
    // nor anywhere in the database files (the email is linked to the address in `email_links`, by design)
    const files = fs.readdirSync(f.dir).map((name) => fs.readFileSync(path.join(f.dir, name)));
    for (const s of secrets.filter((x) => x.name !== "email")) {
      for (const file of files) {
        expect(file.includes(s.bytes), `${s.name} raw`).to.equal(false);
        expect(file.includes(Buffer.from(s.bytes.toString("hex"))), `${s.name} hex`).to.equal(false);
        expect(file.includes(Buffer.from(s.bytes.toString("base64").replace(/=+$/, ""))), `${s.name} base64`).to.equal(false);
      }
    }
  });

  it("answers an unknown user exactly like a wrong password: status, body, error and timing class", async () => {
    await signUp({ identityUrl, email: "eve@example.org", password: "eve-password" });
    // at the HTTP edge
    const wrong = await deriveCredentialKeys("eve@example.org", "not-eves-password");
    const unknown = await deriveCredentialKeys("nobody@example.org", "eve-password");
    const get = (lookupKey: string, email: string) =>
      axios.get(`${identityUrl}/authentication`, { params: { lookupKey, email }, validateStatus: () => true });
    const [a, b] = await Promise.all([get(wrong.lookupKey, "eve@example.org"), get(unknown.lookupKey, "nobody@example.org")]);
    expect(a.status).to.equal(404);
    expect(b.status).to.equal(a.status);
    expect(b.data).to.deep.equal(a.data);
    // through the SDK
    const wrongTimes: number[] = [];
    const unknownTimes: number[] = [];
    let wrongError: Error | undefined;
    let unknownError: Error | undefined;
    for (let i = 0; i < 3; i++) {
      let t = performance.now();
      wrongError = await expectCode(logIn({ identityUrl, email: "eve@example.org", password: `wrong-${i}-password` }), "INVALID_CREDENTIALS");
      wrongTimes.push(performance.now() - t);
      t = performance.now();
      unknownError = await expectCode(logIn({ identityUrl, email: `nobody${i}@example.org`, password: "eve-password" }), "INVALID_CREDENTIALS");
      unknownTimes.push(performance.now() - t);
    }
    expect(unknownError!.message).to.equal(wrongError!.message);
    // same class: both are dominated by the same two scrypt runs and one lookup, so neither is a multiple of the other
    const ratio = median(unknownTimes) / median(wrongTimes);
    expect(ratio, `unknown ${median(unknownTimes)} ms vs wrong ${median(wrongTimes)} ms`).to.be.within(0.5, 2);
  });

  it("gives the wallet to write with: an app's own signer, or the one behind email + password", async () => {
    const own = Wallet.createRandom();
    expect(await getWallet({ signer: own })).to.equal(own);
    const created = await signUp({ identityUrl, email: "fay@example.org", password: "fay-password" });
    const signer = await getWallet({ identityUrl, email: "fay@example.org", password: "fay-password" });
    expect(await signer.getAddress()).to.equal(created.walletAddress);
    // and that wallet's signed actions relay with it as the signer on chain, paying no gas
    const from = await f.fx.provider.getBlockNumber();
    await createUser(f, signer as Wallet);
    const [event] = await manageEntityEvents(f.fx, from + 1);
    expect(event.signer).to.equal(created.walletAddress);
    expect(await f.fx.provider.getBalance(created.walletAddress)).to.equal(0n);
  });

  it("refuses malformed store requests and bad credentials input with clear 4xx errors", async () => {
    const bad = await post(`${identityUrl}/authentication`, { iv: "zz", cipherText: "00", lookupKey: "00" });
    expect(bad.status).to.equal(400);
    expect(bad.data.error.message).to.match(/iv must be a hex string/);
    const user = await post(`${identityUrl}/user`, { email: "not-an-email", walletAddress: Wallet.createRandom().address });
    expect(user.status).to.equal(400);
    await expectCode(signUp({ identityUrl, email: "gus@example.org", password: "short" }), "INVALID_INPUT");
    await expectCode(logIn({ identityUrl: "http://127.0.0.1:1", email: "gus@example.org", password: "whatever-pass" }), "NODE_UNAVAILABLE");
  });

  it("finishes a sign-up that stopped after storing the wallet, with that same wallet", async () => {
    const email = "hal@example.org";
    const password = "hal-password";
    const earlier = Wallet.createRandom();
    const keys = await deriveCredentialKeys(email, password);
    const stored = await post(`${identityUrl}/authentication`, { ...(await encryptWalletEntropy(keys.encryptionKey, getBytes(earlier.mnemonic!.entropy))), lookupKey: keys.lookupKey });
    expect(stored.status).to.equal(201);
    const created = await signUp({ identityUrl, email, password });
    expect(created.walletAddress).to.equal(earlier.address);
    expect((await logIn({ identityUrl, email, password })).walletAddress).to.equal(earlier.address);
  });

  it("keeps the store consistent on bad replacements and duplicate keys", async () => {
    const a = await deriveCredentialKeys("ivy@example.org", "ivy-password-1");
    const b = await deriveCredentialKeys("ivy@example.org", "ivy-password-2");
    const record = { iv: "00".repeat(12), cipherText: "ab".repeat(32) };
    expect((await post(`${identityUrl}/authentication`, { ...record, lookupKey: a.lookupKey })).status).to.equal(201);
    expect((await post(`${identityUrl}/authentication`, { ...record, lookupKey: a.lookupKey })).status).to.equal(409);
    // replacing a record that does not exist stores nothing
    const orphan = await post(`${identityUrl}/authentication`, { ...record, lookupKey: b.lookupKey, oldLookupKey: "cd".repeat(32) });
    expect(orphan.status).to.equal(404);
    const lookup = await axios.get(`${identityUrl}/authentication`, { params: { lookupKey: b.lookupKey }, validateStatus: () => true });
    expect(lookup.status).to.equal(404);
    const wallet = Wallet.createRandom();
    expect((await post(`${identityUrl}/user`, await signEmailLink(wallet, "ivy@example.org"))).status).to.equal(201);
    // the holder may change its wallet's email; no one else may, and an unsigned claim binds nothing
    expect((await post(`${identityUrl}/user`, await signEmailLink(wallet, "ivy2@example.org"))).status).to.equal(201);
    const unsigned = await post(`${identityUrl}/user`, { email: "ivy3@example.org", walletAddress: wallet.address });
    expect(unsigned.status).to.equal(401);
    const db = new Database(path.join(f.dir, "identity.sqlite"), { readonly: true });
    expect(db.prepare("SELECT email FROM email_links WHERE wallet_address = ?").pluck().all(wallet.address)).to.deep.equal(["ivy2@example.org"]);
    db.close();
    expect((await axios.get(`${identityUrl}/users/check`, { params: { email: "nope" }, validateStatus: () => true })).status).to.equal(400);
  });
});
