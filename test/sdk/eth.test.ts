import { expect } from "chai";
import fc from "fast-check";
import {
  AbiCoder,
  Wallet,
  decodeBytes32String,
  encodeBytes32String,
  formatUnits,
  getAddress,
  hashMessage,
  id,
  parseUnits,
  recoverAddress as recoverEthers,
  TypedDataEncoder,
} from "ethers";
import { abiDecode, abiEncode, type AbiType } from "../../sdk/eth/abi";
import { bytesToHex, hexToBytes, isAddress, toChecksumAddress } from "../../sdk/eth/bytes";
import { recoverAddress, verifyMessage } from "../../sdk/eth/keys";
import { KeySigner } from "../../sdk/eth/keySigner";
import {
  MANAGE_ENTITY_SELECTOR,
  MANAGE_ENTITY_WITH_DEADLINE_SELECTOR,
  decodeManageEntityCall,
  encodeManageEntityCall,
  manageEntityDigest,
  randomNonce,
  signManageEntity,
} from "../../sdk/typedData";
import { entityManagerInterface, MANAGE_ENTITY_WITH_DEADLINE_TYPES } from "../../sdk/protocol/entityManager";
import { bytes32Text, formatAudio, parseAudio } from "../../sdk/staking/units";
import { isAsixError } from "../../sdk/errors";

/**
 * The SDK signs, hashes and encodes without ethers (noble + a small ABI codec) so that loading it is
 * cheap; ethers is the reference these must match byte for byte.
 */
describe("ethers-free Ethereum primitives match ethers", function () {
  const KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
  const wallet = new Wallet(KEY);
  const signer = new KeySigner(KEY);
  const domain = { chainId: 31337, verifyingContract: "0x5FbDB2315678afecb367f032d93F642f64180aa3" };

  it("derives the same address and signs messages byte for byte like an ethers Wallet", async () => {
    expect(signer.address).to.equal(wallet.address);
    expect(await signer.getAddress()).to.equal(wallet.address);
    await fc.assert(
      fc.asyncProperty(fc.string(), async (message) => {
        const sig = await signer.signMessage(message);
        expect(sig).to.equal(await wallet.signMessage(message));
        expect(verifyMessage(message, sig)).to.equal(wallet.address);
      }),
      { numRuns: 30 },
    );
  });

  it("signs EntityManager typed data like ethers' TypedDataEncoder over the same types", async () => {
    const message = { userId: 7n, entityType: "Track", entityId: 9n, action: "Create", metadata: '{"a":"é"}', nonce: randomNonce(), deadline: 1_900_000_000n };
    const digest = manageEntityDigest(domain, message);
    const reference = TypedDataEncoder.hash({ name: "Entity Manager", version: "1", ...domain }, MANAGE_ENTITY_WITH_DEADLINE_TYPES, message);
    expect(digest).to.equal(reference);
    expect(await signManageEntity(signer as never, domain, message)).to.equal(await signManageEntity(wallet, domain, message));
  });

  it("encodes and decodes manageEntity calldata exactly as the compiled ABI does", async () => {
    expect(MANAGE_ENTITY_SELECTOR).to.equal(entityManagerInterface.getFunction("manageEntity")!.selector);
    expect(MANAGE_ENTITY_WITH_DEADLINE_SELECTOR).to.equal(entityManagerInterface.getFunction("manageEntityWithDeadline")!.selector);
    await fc.assert(
      fc.asyncProperty(
        fc.record({ userId: fc.bigInt(0n, 2n ** 64n), entityId: fc.bigInt(0n, 2n ** 256n - 1n), action: fc.string(), metadata: fc.string({ maxLength: 200 }), deadline: fc.option(fc.bigInt(0n, 2n ** 40n)) }),
        async (r) => {
          const message = { userId: r.userId, entityType: "User", entityId: r.entityId, action: r.action, metadata: r.metadata, nonce: randomNonce(), ...(r.deadline === null ? {} : { deadline: r.deadline }) };
          const signature = await wallet.signMessage("x");
          const ours = encodeManageEntityCall(message, signature);
          const args = [message.userId, message.entityType, message.entityId, message.action, message.metadata, message.nonce, ...(r.deadline === null ? [] : [r.deadline]), signature];
          expect(ours).to.equal(entityManagerInterface.encodeFunctionData(r.deadline === null ? "manageEntity" : "manageEntityWithDeadline", args));
          const back = decodeManageEntityCall(ours);
          expect(back.signature).to.equal(signature);
          expect(back.message).to.deep.equal(message);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("refuses calldata whose offsets or lengths point outside it, or whose strings are not UTF-8", () => {
    const good = encodeManageEntityCall({ userId: 1n, entityType: "User", entityId: 2n, action: "Create", metadata: "", nonce: randomNonce() }, `0x${"11".repeat(65)}`);
    const bytes = hexToBytes(good);
    const badOffset = bytes.slice();
    badOffset[4 + 32 + 31] = 0xff; // entityType's offset, far past the end
    const badUtf8 = bytes.slice();
    const entityTypeAt = 4 + Number(BigInt(bytesToHex(bytes.subarray(4 + 32, 4 + 64)))) + 32;
    badUtf8[entityTypeAt] = 0xff;
    for (const calldata of [bytesToHex(badOffset), bytesToHex(badUtf8), good.slice(0, 100), "0xzz"]) {
      expect(() => decodeManageEntityCall(calldata)).to.throw().that.satisfies((e: unknown) => isAsixError(e, "INVALID_INPUT"));
    }
  });

  it("abi-encodes static and dynamic values like ethers' AbiCoder", () => {
    const types: AbiType[] = ["uint256", "bytes32", "address", "bool", "string", "bytes"];
    const values = [2n ** 255n + 3n, id("x"), wallet.address, true, "héllo wörld, a string longer than thirty-two bytes", "0x0102"];
    const ours = bytesToHex(abiEncode(types, values));
    expect(ours).to.equal(AbiCoder.defaultAbiCoder().encode(types, values));
    expect(abiDecode(types, hexToBytes(ours))).to.deep.equal([values[0], values[1], wallet.address.toLowerCase(), true, values[4], values[5]]);
  });

  it("recovers like ethers, and refuses a malleated (high-s) signature and a bad v", async () => {
    const digest = hashMessage("hi");
    const sig = wallet.signingKey.sign(digest);
    expect(recoverAddress(hexToBytes(digest), sig.serialized)).to.equal(wallet.address);
    expect(recoverAddress(hexToBytes(digest), sig.compactSerialized)).to.equal(wallet.address);
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    const highS = "0x" + sig.r.slice(2) + (n - BigInt(sig.s)).toString(16).padStart(64, "0") + (sig.v === 27 ? "1c" : "1b");
    expect(() => recoverEthers(digest, highS)).to.throw(/non-canonical s/);
    expect(() => recoverAddress(hexToBytes(digest), highS)).to.throw();
    expect(() => recoverAddress(hexToBytes(digest), sig.serialized.slice(0, -2) + "05")).to.throw();
  });

  it("checksums addresses like ethers' getAddress", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 20, maxLength: 20 }), (bytes) => {
        const lower = bytesToHex(bytes);
        expect(toChecksumAddress(lower)).to.equal(getAddress(lower));
        expect(isAddress(getAddress(lower))).to.equal(true);
      }),
      { numRuns: 100 },
    );
    const wrong = wallet.address.slice(0, 2) + wallet.address.slice(2).replace(/[a-f]/, (c) => c.toUpperCase());
    if (wrong !== wallet.address) expect(isAddress(wrong)).to.equal(false);
  });

  it("formats and parses AUDIO amounts like ethers' formatUnits/parseUnits", () => {
    fc.assert(
      fc.property(fc.bigInt(-(10n ** 30n), 10n ** 30n), (wei) => {
        expect(formatAudio(wei)).to.equal(`${formatUnits(wei, 18).replace(/\.0$/, "")} AUDIO`);
      }),
      { numRuns: 200 },
    );
    for (const text of ["0", "1", "1.5", "200000", "0.000000000000000001", "1.50", "3.1000000000000000000"]) expect(parseAudio(text)).to.equal(parseUnits(text, 18));
    expect(() => parseAudio("0.0000000000000000001")).to.throw().that.satisfies((e: unknown) => isAsixError(e, "INVALID_INPUT"));
    for (const text of ["content-node", "discovery-node", ""]) expect(bytes32Text(encodeBytes32String(text))).to.equal(decodeBytes32String(encodeBytes32String(text)));
    expect(bytes32Text("0x1234")).to.equal("0x1234");
  });

  it("refuses a private key that is not 32 bytes in range", () => {
    for (const key of ["0x12", "0x" + "00".repeat(32), "0x" + "ff".repeat(32), "nope"]) expect(() => new KeySigner(key)).to.throw(TypeError);
  });
});
