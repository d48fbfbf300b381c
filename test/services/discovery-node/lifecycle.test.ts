import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { Wallet } from "ethers";
import { devnetPrivateKey, DEVNET_ROLES } from "../../../devnet/accounts";
import { startDiscoveryNode, type RunningDiscoveryNode } from "../../../devnet/services/discovery-node";
import { startDataChain, type DataChainFixture } from "../../helpers/dataChain";
import { hid, meta, waitIndexed, BACKEND } from "./fixture";
import { discoveryDatabaseUrl } from "../../helpers/postgres";

describe(`discovery node (${BACKEND}): restart`, function () {
  this.timeout(60_000);
  let fx: DataChainFixture;
  let other: DataChainFixture | undefined;
  let dir: string;
  let databaseUrl: string | undefined;
  const nodes: RunningDiscoveryNode[] = [];
  const start = (chain: DataChainFixture) =>
    startDiscoveryNode({
      dir,
      databaseUrl,
      privateKey: devnetPrivateKey(DEVNET_ROLES.discoveryNode),
      dataChain: { rpcUrl: chain.chain.url, chainId: 1056801, entityManagerAddress: chain.entityManagerAddress, startBlock: chain.deployBlock },
      identityUrl: "http://127.0.0.1:9",
      contentNodes: () => [],
      pollIntervalMs: 20,
    }).then((n) => (nodes.push(n), n));

  before(async () => {
    fx = await startDataChain();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-dn-restart-"));
    databaseUrl = await discoveryDatabaseUrl();
  });
  after(async () => {
    for (const n of nodes) await n.stop().catch(() => {});
    await fx?.close();
    await other?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("resumes from its checkpoint after a restart, without applying anything twice", async () => {
    const alice = new Wallet(Wallet.createRandom().privateKey);
    const bob = new Wallet(Wallet.createRandom().privateKey);
    let node = await start(fx);
    let r = await fx.manageEntity(alice, { userId: 3_000_001, entityType: "User", entityId: 3_000_001, action: "Create", metadata: meta({ handle: "alice" }) });
    r = await fx.manageEntity(bob, { userId: 3_000_002, entityType: "User", entityId: 3_000_002, action: "Create", metadata: meta({ handle: "bob" }) });
    r = await fx.manageEntity(bob, { userId: 3_000_002, entityType: "User", entityId: 3_000_001, action: "Follow", metadata: "" });
    await waitIndexed(node.url, r.blockNumber, r.blockHash);
    await node.stop();
    // actions while the node is down are picked up on restart
    const r2 = await fx.manageEntity(alice, { userId: 3_000_001, entityType: "User", entityId: 3_000_002, action: "Follow", metadata: "" });
    node = await start(fx);
    await waitIndexed(node.url, r2.blockNumber, r2.blockHash);
    const a = (await (await fetch(`${node.url}/v1/users/${hid(3_000_001)}`)).json()) as any;
    expect(a.data).to.include({ follower_count: 1, followee_count: 1 });
    const tx = (await (await fetch(`${node.url}/v1/full/transactions/${r.transactionHash}`)).json()) as any;
    expect(tx.data).to.have.length(1);
    await node.stop();
  });

  it("refuses to extend an index that belongs to another chain", async () => {
    other = await startDataChain();
    for (let i = 0; i < 8; i++) await other.provider.send("evm_mine", []);
    const node = await start(other);
    await new Promise((r) => setTimeout(r, 300));
    const health = (await (await fetch(`${node.url}/health_check`)).json()) as any;
    expect(health.data.healthy).to.equal(false);
    expect(health.data.chain_health.status).to.equal("Unhealthy");
    expect((await fetch(`${node.url}/v1/users/${hid(3_000_001)}`)).status).to.equal(200); // still serves what it has
  });
});
