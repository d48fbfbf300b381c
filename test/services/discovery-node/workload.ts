import { Wallet, hexlify, randomBytes } from "ethers";
import { DEVNET_ROLES } from "../../../devnet/accounts";
import { encodeManageEntityCall, manageEntityDigest, randomNonce, type ManageEntityMessage } from "../../../sdk/eip712";
import type { DataChainFixture } from "../../helpers/dataChain";
import { seededRandom } from "../../helpers/random";

/**
 * Fill a data chain fast with real signed actions: each message is signed by its user's own key,
 * sent by unlocked relayer accounts in JSON-RPC batches, and mined `perBlock` at a time
 * (automine off + evm_mine). Used by the crash test and the benchmark.
 */
export interface PlannedAction {
  signer: Wallet;
  message: Omit<ManageEntityMessage, "nonce">;
}

const meta = (data: Record<string, unknown>) => JSON.stringify({ cid: "", data });
const CID = "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG";

export interface WorkloadSize {
  users: number;
  tracks: number;
  /** follows, saves and reposts together (about a third each), plus a few undo actions and invalid ones */
  social: number;
  playlists?: number;
}

/** A mixed workload: users, tracks, playlists, social actions, updates, deletes and some invalid actions. */
export function planWorkload(size: WorkloadSize, seed = 1): PlannedAction[] {
  const random = seededRandom(seed);
  const rand = (n: number) => (random() * n) | 0;
  // random keys, not mnemonics: deriving 10,000 HD wallets would take minutes
  const wallets = Array.from({ length: size.users }, () => new Wallet(hexlify(randomBytes(32))));
  const userIds = wallets.map((_, i) => 3_000_000 + i + 1);
  const plan: PlannedAction[] = [];
  wallets.forEach((w, i) => {
    plan.push({ signer: w, message: { userId: userIds[i], entityType: "User", entityId: userIds[i], action: "Create", metadata: meta({ handle: `user_${i}`, name: `User ${i}`, bio: `bio of ${i}` }) } });
  });
  const trackIds: number[] = [];
  const trackOwner: number[] = [];
  const genres = ["Electronic", "Jazz", "Rock", "Hip-Hop", "Ambient"];
  const words = ["night", "drive", "morning", "coffee", "river", "neon", "echo", "summer", "glass", "storm"];
  for (let t = 0; t < size.tracks; t++) {
    const u = rand(size.users);
    const id = 2_000_000 + t + 1;
    trackIds.push(id);
    trackOwner.push(u);
    const title = `${words[rand(words.length)]} ${words[rand(words.length)]} ${t}`;
    plan.push({ signer: wallets[u], message: { userId: userIds[u], entityType: "Track", entityId: id, action: "Create", metadata: meta({ owner_id: userIds[u], title, genre: genres[rand(genres.length)], track_cid: CID, duration: 60 + rand(300) }) } });
  }
  for (let p = 0; p < (size.playlists ?? 0); p++) {
    const u = rand(size.users);
    const contents = Array.from({ length: 1 + rand(5) }, () => ({ track_id: trackIds[rand(trackIds.length)], timestamp: 1_700_000_000 }));
    plan.push({ signer: wallets[u], message: { userId: userIds[u], entityType: "Playlist", entityId: 400_000 + p + 1, action: "Create", metadata: meta({ playlist_name: `list ${p}`, is_album: p % 5 === 0, playlist_contents: contents }) } });
  }
  for (let s = 0; s < size.social; s++) {
    const u = rand(size.users);
    const kind = s % 20 === 19 ? "invalid" : s % 20 === 18 ? "undo" : ["follow", "save", "repost"][s % 3];
    const signer = wallets[u];
    const userId = userIds[u];
    if (kind === "follow") {
      plan.push({ signer, message: { userId, entityType: "User", entityId: userIds[rand(size.users)], action: "Follow", metadata: "" } });
    } else if (kind === "save" || kind === "repost") {
      plan.push({ signer, message: { userId, entityType: "Track", entityId: trackIds[rand(trackIds.length)], action: kind === "save" ? "Save" : "Repost", metadata: "" } });
    } else if (kind === "undo") {
      const action = ["Unfollow", "Unsave", "Unrepost"][rand(3)];
      const entityType = action === "Unfollow" ? "User" : "Track";
      const entityId = action === "Unfollow" ? userIds[rand(size.users)] : trackIds[rand(trackIds.length)];
      plan.push({ signer, message: { userId, entityType, entityId, action, metadata: "" } });
    } else {
      // signed by someone else's wallet, a track update by a non-owner, or a delete by the owner
      const t = rand(trackIds.length);
      const choice = rand(3);
      if (choice === 0) plan.push({ signer: wallets[(u + 1) % size.users], message: { userId, entityType: "User", entityId: userIds[rand(size.users)], action: "Follow", metadata: "" } });
      else if (choice === 1) plan.push({ signer, message: { userId, entityType: "Track", entityId: trackIds[t], action: "Update", metadata: meta({ title: `edited ${t}` }) } });
      else plan.push({ signer: wallets[trackOwner[t]], message: { userId: userIds[trackOwner[t]], entityType: "Track", entityId: trackIds[t], action: "Delete", metadata: "" } });
    }
  }
  return plan;
}

/** Sign every planned action (its own key, raw digest: no JSON-RPC). */
export function signWorkload(plan: PlannedAction[], entityManagerAddress: string, chainId = 1056801): string[] {
  const domain = { chainId, verifyingContract: entityManagerAddress };
  return plan.map(({ signer, message }) => {
    const full = { ...message, nonce: randomNonce() };
    return encodeManageEntityCall(full, signer.signingKey.sign(manageEntityDigest(domain, full)).serialized);
  });
}

/** A gas limit with room to spare (the contract spends ~60k per small action), so blocks pack as planned. */
const gasFor = (data: string) => 80_000 + 40 * ((data.length - 2) / 2);

/** Send signed calldata from the unlocked relayer accounts, `perBlock` transactions per mined block. */
export async function sendWorkload(
  fx: Pick<DataChainFixture, "wallet" | "provider" | "entityManagerAddress"> & { chain: { url: string } },
  calldata: string[], perBlock = 200, onBlock?: (sent: number) => void): Promise<string[]> {
  const relayers = DEVNET_ROLES.relayers.slice(1).map((i) => fx.wallet(i).address);
  await fx.provider.send("evm_setAutomine", [false]);
  const hashes: string[] = [];
  try {
    let id = 0;
    for (let start = 0; start < calldata.length; start += perBlock) {
      const chunk = calldata.slice(start, start + perBlock);
      const body = chunk.map((data, i) => ({
        jsonrpc: "2.0",
        id: ++id,
        method: "eth_sendTransaction",
        params: [{ from: relayers[i % relayers.length], to: fx.entityManagerAddress, data, gas: "0x" + gasFor(data).toString(16) }],
      }));
      const res = await fetch(fx.chain.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      const answers = (await res.json()) as Array<{ id: number; result?: string; error?: { message: string } }>;
      const failed = answers.find((a) => a.error);
      if (failed) throw new Error(`eth_sendTransaction failed: ${failed.error!.message}`);
      hashes.push(...answers.sort((a, b) => a.id - b.id).map((a) => a.result!));
      await fx.provider.send("evm_mine", []);
      onBlock?.(start + chunk.length);
    }
    // anything that did not fit a block is still pending: mine until every relayer's nonce caught up
    for (let i = 0; i < 100; i++) {
      const counts = await Promise.all(relayers.map(async (a) => [await fx.provider.send("eth_getTransactionCount", [a, "latest"]), await fx.provider.send("eth_getTransactionCount", [a, "pending"])]));
      if (counts.every(([l, p]) => l === p)) break;
      await fx.provider.send("evm_mine", []);
    }
  } finally {
    await fx.provider.send("evm_setAutomine", [true]);
  }
  return hashes;
}
