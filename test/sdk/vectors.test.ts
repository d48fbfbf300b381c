import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import { keccak256, toUtf8Bytes } from "ethers";
import {
  MANAGE_ENTITY_TYPE_STRING,
  decodeManageEntityCall,
  encodeManageEntityCall,
  recoverManageEntitySigner,
} from "../../sdk/eip712";
import { cidOfBytes, CidHasher, isCid } from "../../sdk/cid";
import { decodeHashId, encodeHashId, toEntityId } from "../../sdk/hashids";
import { isAsixError } from "../../sdk/errors";

// Vectors made by independent implementations, copied into test/vectors (see its README).
const VECTORS = path.resolve(__dirname, "../vectors");
const readVectors = (name: string) => JSON.parse(fs.readFileSync(path.join(VECTORS, name), "utf8"));

describe("test vectors from independent implementations", () => {
  describe("EntityManager relay calls signed by the reference SDK", () => {
    const file = readVectors("entity-manager.json");

    it("uses the same type string", () => {
      expect(file.typeString).to.equal(MANAGE_ENTITY_TYPE_STRING);
    });

    for (const v of file.vectors) {
      const message = {
        userId: BigInt(v.userId),
        entityType: v.entityType,
        entityId: BigInt(v.entityId),
        action: v.action,
        metadata: v.metadata,
        nonce: v.nonce,
      };
      const domain = { chainId: v.chainId, verifyingContract: v.verifyingContract };

      it(`recovers the signer of ${v.entityType} ${v.action}`, () => {
        expect(recoverManageEntitySigner(domain, message, v.signature)).to.equal(v.expectedSigner);
      });

      it(`encodes ${v.entityType} ${v.action} calldata byte for byte`, () => {
        expect(encodeManageEntityCall(message, v.signature)).to.equal(v.encodedABI);
        const decoded = decodeManageEntityCall(v.encodedABI);
        expect(decoded.signature).to.equal(v.signature);
        expect(decoded.message.metadata).to.equal(v.metadata);
      });
    }

    it("recovers another address when a field is tampered with", () => {
      const v = file.vectors[0];
      const domain = { chainId: v.chainId, verifyingContract: v.verifyingContract };
      const tampered = { userId: 1n, entityType: v.entityType, entityId: 3n, action: v.action, metadata: "", nonce: v.nonce };
      expect(recoverManageEntitySigner(domain, tampered, v.signature)).to.not.equal(v.expectedSigner);
    });

    it("refuses calldata that is not a manageEntity call", () => {
      expect(() => decodeManageEntityCall("0xa9059cbb")).to.throw().that.satisfies((e: unknown) => isAsixError(e, "INVALID_INPUT"));
    });
  });

  describe("CIDs made by ipfs add", () => {
    const file = readVectors("cids.json");
    // generator: byte i = (i * 31 + 7) & 255
    const generate = (size: number) => {
      const bytes = new Uint8Array(size);
      for (let i = 0; i < size; i++) bytes[i] = (i * 31 + 7) & 255;
      return bytes;
    };

    for (const v of file.vectors) {
      const label = v.utf8 !== undefined ? JSON.stringify(v.utf8) : `${v.size} bytes`;
      const bytes = () => (v.utf8 !== undefined ? new TextEncoder().encode(v.utf8) : generate(v.size));

      it(`gives ${v.cidV0} for ${label}`, async () => {
        expect(await cidOfBytes(bytes())).to.equal(v.cidV0);
      });

      it(`gives the same CID when ${label} streams past in 64 KiB pieces`, async () => {
        const all = bytes();
        const hasher = new CidHasher();
        for (let o = 0; o < all.length; o += 65536) hasher.update(all.subarray(o, o + 65536));
        expect(await hasher.cid()).to.equal(v.cidV0);
      });
    }

    it("accepts CIDs and refuses path tricks", () => {
      expect(isCid(file.vectors[0].cidV0)).to.equal(true);
      expect(isCid(file.vectors[0].cidV1RawLeaves)).to.equal(true);
      for (const bad of ["", "..", "../etc/passwd", "Qm/../../x", "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5", "hello"]) {
        expect(isCid(bad), bad).to.equal(false);
      }
    });
  });

  describe("hashids", () => {
    it("encodes 1 as 7eP5n, as the reference API does", () => {
      expect(encodeHashId(1)).to.equal("7eP5n");
      expect(decodeHashId("7eP5n")).to.equal(1);
    });

    it("round-trips the id offsets", () => {
      for (const id of [3_000_000, 2_000_000, 400_000, 0, 2 ** 40]) expect(decodeHashId(encodeHashId(id))).to.equal(id);
    });

    it("encodes every safe integer within the length the decoder accepts", () => {
      expect(encodeHashId(Number.MAX_SAFE_INTEGER).length).to.be.at.most(16);
      expect(decodeHashId(encodeHashId(Number.MAX_SAFE_INTEGER))).to.equal(Number.MAX_SAFE_INTEGER);
    });

    it("refuses strings that are not hashids", () => {
      expect(decodeHashId("../x")).to.equal(undefined);
      expect(decodeHashId("zzzzz")).to.equal(undefined);
      expect(decodeHashId("aB3".repeat(5000)), "a 15 kB string is refused by its length, before it is decoded").to.equal(undefined);
      expect(() => toEntityId("not-an-id")).to.throw().that.satisfies((e: unknown) => isAsixError(e, "INVALID_INPUT"));
    });
  });

  it("computes the typehash over the exact `uint` type string", () => {
    // Independent digest: keccak of the literal string, not derived from our typed-data code.
    expect(keccak256(toUtf8Bytes(MANAGE_ENTITY_TYPE_STRING))).to.equal(
      keccak256(toUtf8Bytes("ManageEntity(uint userId,string entityType,uint entityId,string action,string metadata,bytes32 nonce)")),
    );
  });
});
