import { expect } from "chai";
import { AbiCoder, JsonRpcProvider, TypedDataEncoder, Wallet, concat, keccak256, toUtf8Bytes } from "ethers";
import { EntityManager__factory, type EntityManager } from "../../typechain-types";
import {
  MANAGE_ENTITY_TYPE_STRING,
  MANAGE_ENTITY_WITH_DEADLINE_TYPE_STRING,
  MANAGE_ENTITY_WITH_DEADLINE_TYPES,
  decodeManageEntityCall,
  encodeManageEntityCall,
  entityManagerDomainSeparator,
  manageEntityDigest,
  randomNonce,
  signManageEntity,
  type ManageEntityMessage,
} from "../../sdk/eip712";
import { DEVNET_ROLES, devnetPrivateKey } from "../../devnet/accounts";
import { startChain, type Chain } from "../../devnet/chain";
import { deployEntityManager } from "../../devnet/deployData";
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

describe("EntityManager: signed actions with a deadline (issue 11, finding 12)", function () {
  let chain: Chain;
  let provider: JsonRpcProvider;
  let contract: EntityManager;
  let user: Wallet;
  let relayer: Wallet;
  let domain: { chainId: number; verifyingContract: string };

  before(async () => {
    // a plain automining chain, so that automine can be switched off to put transactions in one block
    chain = await startChain({ chainId: DATA_CHAIN_ID });
    provider = new JsonRpcProvider(chain.url, DATA_CHAIN_ID, { staticNetwork: true, cacheTimeout: -1 });
    provider.pollingInterval = 20;
    const wallet = (i: number) => new Wallet(devnetPrivateKey(i), provider);
    const { address } = await deployEntityManager(wallet(DEVNET_ROLES.deployer), wallet(DEVNET_ROLES.verifier).address);
    user = wallet(10);
    relayer = wallet(DEVNET_ROLES.relayers[1]);
    contract = EntityManager__factory.connect(address, relayer);
    domain = { chainId: DATA_CHAIN_ID, verifyingContract: address };
  });
  after(async () => {
    provider?.destroy();
    await chain?.close();
  });

  const update = (name: string, deadline: number): ManageEntityMessage => ({
    userId: 3_000_001n,
    entityType: "User",
    entityId: 3_000_001n,
    action: "Update",
    metadata: JSON.stringify({ cid: "", data: { name } }),
    nonce: randomNonce(),
    deadline: BigInt(deadline),
  });

  it("refuses a stale signed update sent after its deadline, in the block where a newer one lands", async () => {
    const now = (await provider.getBlock("latest"))!.timestamp;
    const stale = update("old name", now + 60);
    const staleSig = await signManageEntity(user, domain, stale);
    const newer = update("new name", now + 7_200);
    const newerSig = await signManageEntity(user, domain, newer);

    // an hour later the newer update is relayed, and someone sends the stale one right after it
    await provider.send("evm_setAutomine", [false]);
    let hashes: string[];
    try {
      await provider.send("evm_setNextBlockTimestamp", [now + 3_600]);
      hashes = [];
      for (const m of [[newer, newerSig], [stale, staleSig]] as const) {
        hashes.push((await relayer.sendTransaction({ to: domain.verifyingContract, data: encodeManageEntityCall(m[0], m[1]), gasLimit: 500_000 })).hash);
      }
      await provider.send("evm_mine", []);
    } finally {
      await provider.send("evm_setAutomine", [true]);
    }
    const [landed, refused] = await Promise.all(hashes.map((h) => provider.getTransactionReceipt(h)));
    expect(refused!.blockNumber).to.equal(landed!.blockNumber);
    expect([landed!.status, refused!.status]).to.deep.equal([1, 0]);
    const event = contract.interface.parseLog(landed!.logs[0])!;
    expect([event.name, event.args._signer, event.args._metadata]).to.deep.equal(["ManageEntity", user.address, newer.metadata]);
    const trace = await provider.send("debug_traceTransaction", [refused!.hash, { disableStorage: true, disableMemory: true, disableStack: true }]);
    const reason = contract.interface.parseError(`0x${String(trace.returnValue).replace(/^0x/, "")}`)!;
    expect([reason.name, ...reason.args]).to.deep.equal(["SignatureExpired", BigInt(now + 60), BigInt(now + 3_600)]);
  });

  it("keeps the reference protocol's ManageEntity typehash working beside the deadline variant", async () => {
    const plain: ManageEntityMessage = { ...update("plain", 0), deadline: undefined };
    delete plain.deadline;
    const receipt = await (await relayer.sendTransaction({ to: domain.verifyingContract, data: encodeManageEntityCall(plain, await signManageEntity(user, domain, plain)) })).wait();
    expect(contract.interface.parseLog(receipt!.logs[0])!.args._signer).to.equal(user.address);
    expect(decodeManageEntityCall(encodeManageEntityCall(plain, "0x" + "11".repeat(65))).message).to.not.have.property("deadline");
  });

  it("hashes ManageEntityWithDeadline as a standard EIP-712 encoder does, and round-trips its calldata", async () => {
    const m = update("x", 2_000_000_000);
    expect(await contract.MANAGE_ENTITY_WITH_DEADLINE_TYPEHASH()).to.equal(keccak256(toUtf8Bytes(MANAGE_ENTITY_WITH_DEADLINE_TYPE_STRING)));
    const standard = TypedDataEncoder.hash({ name: "Entity Manager", version: "1", ...domain }, MANAGE_ENTITY_WITH_DEADLINE_TYPES, m);
    expect(manageEntityDigest(domain, m)).to.equal(standard);
    const signature = await signManageEntity(user, domain, m);
    expect(decodeManageEntityCall(encodeManageEntityCall(m, signature))).to.deep.equal({ message: m, signature });
  });
});
