import path from "node:path";
import Database from "better-sqlite3";
import { JsonRpcProvider } from "ethers";
import { DEVNET_ROLES } from "../../devnet/accounts";
import { contentBlobs, contentTmpFiles, type World } from "./world";

/**
 * Everything a refused request could have left behind: rows in each service's SQLite file, blob and
 * temp files on each content node, and the gas the relayers and the verifier spent. Taken before and
 * after the table, the two must be equal.
 */
export interface Persisted {
  rows: Record<string, number>;
  blobs: string[][];
  tmpFiles: string[];
  balances: Record<string, string>;
}

const TABLES = {
  "discovery-node/discovery.sqlite": ["users", "tracks", "playlists", "follows", "subscriptions", "saves", "reposts", "plays", "actions"],
  "identity-service/identity.sqlite": ["authentications", "email_links", "oauth_states", "verifications"],
} as const;

function countRows(file: string, tables: readonly string[], into: Record<string, number>, label: string): void {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    for (const table of tables) into[`${label}.${table}`] = (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

export async function snapshot(world: World): Promise<Persisted> {
  const rows: Record<string, number> = {};
  const data = path.join(world.devnet.dir, "data");
  for (const [file, tables] of Object.entries(TABLES)) countRows(path.join(data, file), tables, rows, file.split("/")[0]);
  world.content.forEach((_, i) => countRows(path.join(data, `content-node-${i + 1}`, "content-node.sqlite"), ["uploads", "blobs"], rows, `content-node-${i + 1}`));
  // Refused relays take no relay ticket: the sum of the relay counters stays the same. (Request
  // limits, the `req:` counters, count every request, refused or not, by design.)
  const identity = new Database(path.join(data, "identity-service", "identity.sqlite"), { readonly: true, fileMustExist: true });
  try {
    rows["identity-service.relay_counts(sum)"] = (identity.prepare("SELECT coalesce(sum(count), 0) AS n FROM relay_counts WHERE action_key NOT LIKE 'req:%'").get() as { n: number }).n;
  } finally {
    identity.close();
  }

  const balances: Record<string, string> = {};
  const payers = [...DEVNET_ROLES.relayers, DEVNET_ROLES.verifier].map((i) => world.devnet.accounts[i].address);
  for (const [chain, url] of [["eth", world.devnet.ethChain.url], ["data", world.devnet.dataChain.url]] as const) {
    const provider = new JsonRpcProvider(url, chain === "eth" ? world.devnet.ethChain.chainId : world.devnet.dataChain.chainId, { staticNetwork: true });
    try {
      for (const address of payers) balances[`${chain}:${address}`] = String(await provider.getBalance(address));
    } finally {
      provider.destroy();
    }
  }
  return { rows, blobs: contentBlobs(world), tmpFiles: contentTmpFiles(world), balances };
}
