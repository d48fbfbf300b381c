import { expect } from "chai";
import crypto from "node:crypto";
import { decryptWalletEntropy, deriveCredentialKeys, encryptWalletEntropy, WALLET_SCRYPT } from "../../sdk/auth/walletCrypto";
import { scrypt as browserScrypt } from "../../sdk/platform/scrypt.browser";
import { isAsixError } from "../../sdk/errors";

/**
 * Email wallets must open anywhere they were made: Node (native scrypt) and browsers (noble scrypt,
 * WebCrypto AES-GCM) produce the same keys and ciphertexts as the node:crypto code that stored the
 * wallets already on identity services.
 */
// Made with node:crypto's scrypt and aes-256-gcm cipher, as the SDK did before WebCrypto.
const VECTOR = {
  email: "vector@example.org",
  password: "correct horse battery",
  entropy: "00112233445566778899aabbccddeeff",
  iv: "000102030405060708090a0b",
  cipherText: "dff451b49e21527cb92c30e536e62f07829f145535792960ee88ff0b698d95c6",
  lookupKey: "7696a00ce6683e2a9e4bd380fd1ade2316d1018efc92d4b2f070b7ce0e785fb4",
};
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("wallet crypto, Node and browser alike", function () {
  it("derives the stored vector's keys and opens its ciphertext", async () => {
    const keys = await deriveCredentialKeys(VECTOR.email, VECTOR.password);
    expect(keys.lookupKey).to.equal(VECTOR.lookupKey);
    expect(hex(await decryptWalletEntropy(keys.encryptionKey, VECTOR))).to.equal(VECTOR.entropy);
    const again = await encryptWalletEntropy(keys.encryptionKey, Buffer.from(VECTOR.entropy, "hex"), Buffer.from(VECTOR.iv, "hex"));
    expect(again).to.deep.equal({ iv: VECTOR.iv, cipherText: VECTOR.cipherText });
  });

  it("gives the same scrypt bytes with the browser's noble scrypt as with Node's", async () => {
    const salt = "asix-wallet-encryption-key-v1:vector@example.org";
    const node = crypto.scryptSync(VECTOR.password, salt, 32, { N: WALLET_SCRYPT.N, r: WALLET_SCRYPT.r, p: WALLET_SCRYPT.p, maxmem: 256 * WALLET_SCRYPT.N * WALLET_SCRYPT.r });
    expect(hex(await browserScrypt(VECTOR.password, salt, WALLET_SCRYPT))).to.equal(node.toString("hex"));
  });

  it("opens in WebCrypto what node:crypto's cipher sealed, and the other way round", async () => {
    const key = crypto.randomBytes(32);
    const entropy = crypto.randomBytes(16);
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
    cipher.setAAD(Buffer.from("asix-wallet-entropy-v1"));
    const sealed = { iv: iv.toString("hex"), cipherText: Buffer.concat([cipher.update(entropy), cipher.final(), cipher.getAuthTag()]).toString("hex") };
    expect(hex(await decryptWalletEntropy(key, sealed))).to.equal(entropy.toString("hex"));
    expect(await encryptWalletEntropy(key, entropy, iv)).to.deep.equal(sealed);
  });

  it("refuses a wrong key or a tampered ciphertext with INVALID_CREDENTIALS", async () => {
    const keys = await deriveCredentialKeys(VECTOR.email, VECTOR.password);
    const flipped = { ...VECTOR, cipherText: VECTOR.cipherText.replace(/^../, "00") };
    for (const [key, sealed] of [[crypto.randomBytes(32), VECTOR], [keys.encryptionKey, flipped], [keys.encryptionKey, { iv: "zz", cipherText: "" }]] as const) {
      const err = await decryptWalletEntropy(key, sealed).catch((e) => e);
      expect(isAsixError(err, "INVALID_CREDENTIALS"), String(err)).to.equal(true);
    }
  });
});
