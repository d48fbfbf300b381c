import { expect } from "chai";
import { AbiCoder, concat, keccak256, toUtf8Bytes, type Wallet } from "ethers";
import { EntityManager__factory, type EntityManager } from "../../typechain-types";
import {
  MANAGE_ENTITY_TYPE_STRING,
  entityManagerDomainSeparator,
  manageEntityDigest,
  randomNonce,
  signManageEntity,
  type ManageEntityMessage,
} from "../../sdk/eip712";
import { DEVNET_ROLES } from "../../devnet/accounts";
import { startDataChain, DATA_CHAIN_ID, type DataChainFixture } from "../helpers/dataChain";

describe("EntityManager (contracts/EntityManager.sol)", function () {
  let fx: DataChainFixture;
  let contract: EntityManager;
  let user: Wallet;
  let relayer: Wallet;

  before(async () => {
    fx = await startDataChain();
    user = fx.wallet(10);
    relayer = fx.wallet(DEVNET_ROLES.relayers[1]);
    contract = EntityManager__factory.connect(fx.entityManagerAddress, relayer);
  });
  after(async () => {
    await fx?.close();
  });

  const domain = () => ({ chainId: DATA_CHAIN_ID, verifyingContract: fx.entityManagerAddress });
  const message = (overrides: Partial<ManageEntityMessage> = {}): ManageEntityMessage => ({
    userId: 3_000_001n,
    entityType: "User",
    entityId: 3_000_002n,
    action: "Follow",
    metadata: "",
    nonce: randomNonce(),
    ...overrides,
  });
  const submit = (m: ManageEntityMessage, signature: string) =>
    contract.manageEntity(m.userId, m.entityType, m.entityId, m.action, m.metadata, m.nonce, signature);
  async function emittedSigner(m: ManageEntityMessage, signature: string): Promise<string> {
    const receipt = await (await submit(m, signature)).wait();
    const event = receipt!.logs.map((l) => contract.interface.parseLog(l)).find((e) => e?.name === "ManageEntity")!;
    expect(event.args._userId).to.equal(BigInt(m.userId));
    expect(event.args._entityType).to.equal(m.entityType);
    expect(event.args._entityId).to.equal(BigInt(m.entityId));
    expect(event.args._action).to.equal(m.action);
    expect(event.args._metadata).to.equal(m.metadata);
    return event.args._signer;
  }
  async function revertName(p: Promise<unknown>): Promise<{ name: string; args: unknown[] }> {
    try {
      await p;
    } catch (e) {
      const data = (e as { data?: string; info?: { error?: { data?: string } } }).data ?? (e as { info?: { error?: { data?: string } } }).info?.error?.data;
      const parsed = contract.interface.parseError(data!);
      return { name: parsed!.name, args: [...parsed!.args] };
    }
    throw new Error("expected a revert");
  }

  it("emits ManageEntity with the signer it recovered from a valid signature", async () => {
    const m = message({ metadata: JSON.stringify({ cid: "", data: { handle: "alice" } }), action: "Create", entityId: 3_000_001n });
    expect(await emittedSigner(m, await signManageEntity(user, domain(), m))).to.equal(user.address);
  });

  it("recovers someone else when a signed field was tampered with (so the indexer rejects it)", async () => {
    const m = message();
    const signature = await signManageEntity(user, domain(), m);
    expect(await emittedSigner({ ...m, entityId: 3_000_003n }, signature)).to.not.equal(user.address);
    expect(await emittedSigner({ ...m, action: "Unfollow" }, signature)).to.not.equal(user.address);
  });

  it("recovers someone else for a signature made for another chain id or another contract", async () => {
    const m1 = message();
    const otherChain = await signManageEntity(user, { ...domain(), chainId: 1 }, m1);
    expect(await emittedSigner(m1, otherChain)).to.not.equal(user.address);
    const m2 = message();
    const otherContract = await signManageEntity(user, { ...domain(), verifyingContract: relayer.address }, m2);
    expect(await emittedSigner(m2, otherContract)).to.not.equal(user.address);
  });

  it("refuses a replay of the same signed action with SignatureAlreadyUsed(digest)", async () => {
    const m = message();
    const signature = await signManageEntity(user, domain(), m);
    await (await submit(m, signature)).wait();
    const digest = manageEntityDigest(domain(), m);
    expect(await contract.isDigestUsed(digest)).to.equal(true);
    expect(await revertName(submit(m, signature))).to.deep.equal({ name: "SignatureAlreadyUsed", args: [digest] });
  });

  it("refuses a signature that recovers to nothing with InvalidSignature", async () => {
    const m = message();
    const signature = await signManageEntity(user, domain(), m);
    const broken = signature.slice(0, -2) + "00"; // v = 0
    expect((await revertName(submit(m, broken))).name).to.equal("InvalidSignature");
    expect((await revertName(submit(m, signature.slice(0, 130)))).name).to.equal("InvalidSignature"); // 64 bytes
  });

  it("lets only the verifier call manageIsVerified", async () => {
    expect(await revertName(contract.manageIsVerified(3_000_001n, true))).to.deep.equal({ name: "NotVerifier", args: [relayer.address] });
    const asVerifier = contract.connect(fx.wallet(DEVNET_ROLES.verifier));
    const receipt = await (await asVerifier.manageIsVerified(3_000_001n, true)).wait();
    const event = receipt!.logs.map((l) => contract.interface.parseLog(l)).find((e) => e?.name === "ManageIsVerified")!;
    expect([event.args._userId, event.args._isVerified]).to.deep.equal([3_000_001n, true]);
  });

  it("hashes the exact `uint` type string, and its digest matches one computed independently", async () => {
    const literal = "ManageEntity(uint userId,string entityType,uint entityId,string action,string metadata,bytes32 nonce)";
    expect(MANAGE_ENTITY_TYPE_STRING).to.equal(literal);
    expect(await contract.MANAGE_ENTITY_TYPEHASH()).to.equal(keccak256(toUtf8Bytes(literal)));
    expect(await contract.domainSeparator()).to.equal(entityManagerDomainSeparator(domain()));

    // Digest by hand from the literal strings, independent of sdk/eip712's code path.
    const abi = AbiCoder.defaultAbiCoder();
    const h = (s: string) => keccak256(toUtf8Bytes(s));
    const m = message({ metadata: '{"cid":"","data":{"title":"x"}}' });
    const domainSeparator = keccak256(
      abi.encode(
        ["bytes32", "bytes32", "bytes32", "uint256", "address"],
        [h("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"), h("Entity Manager"), h("1"), DATA_CHAIN_ID, fx.entityManagerAddress],
      ),
    );
    const structHash = keccak256(
      abi.encode(
        ["bytes32", "uint256", "bytes32", "uint256", "bytes32", "bytes32", "bytes32"],
        [h(literal), m.userId, h(m.entityType), m.entityId, h(m.action), h(m.metadata), m.nonce],
      ),
    );
    const digest = keccak256(concat(["0x1901", domainSeparator, structHash]));
    expect(manageEntityDigest(domain(), m)).to.equal(digest);
    // and the contract agrees: a raw signature over that digest recovers to the signer on chain
    const raw = user.signingKey.sign(digest).serialized;
    expect(await emittedSigner(m, raw)).to.equal(user.address);
  });
});
