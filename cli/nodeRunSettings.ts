import fs from "node:fs";
import path from "node:path";
import { Flags } from "@oclif/core";
import { Wallet } from "ethers";
import { AsixError } from "../sdk/errors";
import type { Logger, NodeKind, NodeRunSettings } from "../devnet";
import { findState } from "../devnet/state";
import { configDir, obtainPassword } from "./keystore";

/**
 * `asix node run`'s settings: each is a flag, an ASIX_NODE_* environment variable (oclif reads it
 * when the flag is absent) and a key of the JSON config file, in that order of precedence.
 */
const setting = (description: string, env: string) => Flags.string({ description, env });

export const SETTING_FLAGS = {
  "eth-rpc": setting("the eth chain's JSON-RPC URL (token, staking, the Registry)", "ASIX_NODE_ETH_RPC"),
  "data-rpc": setting("the data chain's JSON-RPC URL (EntityManager)", "ASIX_NODE_DATA_RPC"),
  registry: setting("the eth chain's Registry address; every other eth contract is looked up from it", "ASIX_NODE_REGISTRY"),
  "entity-manager": setting("the data chain's EntityManager address (discovery node, identity service)", "ASIX_NODE_ENTITY_MANAGER"),
  keystore: setting("the node's wallet: an account name from `asix account list`, or a keystore file", "ASIX_NODE_KEYSTORE"),
  "password-file": setting("file holding the keystore password (else ASIX_PASSWORD, else a prompt)", "ASIX_NODE_PASSWORD_FILE"),
  endpoint: setting("the node's public URL, as registered on chain", "ASIX_NODE_ENDPOINT"),
  "data-dir": setting("where the node keeps its data (created if missing)", "ASIX_NODE_DATA_DIR"),
  port: setting("port to listen on (default 0: any free port)", "ASIX_NODE_PORT"),
  host: setting("address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)", "ASIX_NODE_HOST"),
  "tls-cert": setting("PEM certificate (chain) to serve HTTPS with; needs --tls-key", "ASIX_NODE_TLS_CERT"),
  "tls-key": setting("PEM private key of --tls-cert", "ASIX_NODE_TLS_KEY"),
  "ca-file": setting("extra CA (PEM) to trust for outgoing HTTPS, e.g. a devnet's ca.pem", "ASIX_NODE_CA_FILE"),
  "identity-url": setting("the identity service a discovery node forwards /relay to", "ASIX_NODE_IDENTITY_URL"),
  "database-url": setting("discovery node: index into PostgreSQL at this postgres://user:password@host:port/db URL instead of SQLite in --data-dir", "ASIX_NODE_DATABASE_URL"),
  "drain-ms": setting("on SIGTERM, how long requests in flight may take to finish (default 10000)", "ASIX_NODE_DRAIN_MS"),
};

export type SettingName = keyof typeof SETTING_FLAGS;
export type NodeFlags = Partial<Record<SettingName | "config" | "devnet", string>>;

function readConfigFile(file: string | undefined): Partial<Record<SettingName, string>> {
  if (!file) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new AsixError("INVALID_INPUT", `cannot read the config file ${file}: ${(e as Error).message}`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new AsixError("INVALID_INPUT", `config file ${file} must hold a JSON object`);
  const out: Partial<Record<SettingName, string>> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (key === "private-key" || key === "privateKey") throw new AsixError("INVALID_INPUT", `config file ${file} holds a raw private key: use "keystore" (an encrypted keystore from \`asix account\`) instead`);
    if (!(key in SETTING_FLAGS)) throw new AsixError("INVALID_INPUT", `config file ${file}: unknown setting "${key}" (see asix node run --help)`);
    out[key as SettingName] = String(value);
  }
  return out;
}

/** What a devnet's state offers as defaults: its chains, contracts, identity service and CA. */
function devnetDefaults(dir: string | undefined): Partial<Record<SettingName, string>> {
  if (!dir) return {};
  const state = findState(dir);
  return {
    "eth-rpc": state.ethChain.url,
    "data-rpc": state.dataChain.url,
    registry: state.ethChain.contracts.registry,
    "entity-manager": state.dataChain.contracts.entityManager,
    "identity-url": state.services.identity,
    ...(state.caFile ? { "ca-file": state.caFile } : {}),
  };
}

async function openKeystore(ref: string, passwordFile: string | undefined): Promise<Wallet> {
  const byName = path.join(configDir(), "accounts", `${ref}.json`);
  const file = fs.existsSync(ref) ? ref : byName;
  if (!fs.existsSync(file)) throw new AsixError("NOT_FOUND", `no keystore "${ref}": give an account name from \`asix account list\` or a keystore file's path`);
  const password = passwordFile ? fs.readFileSync(passwordFile, "utf8").replace(/\r?\n$/, "") : await obtainPassword(undefined, `Password for keystore ${ref}: `);
  try {
    const wallet = await Wallet.fromEncryptedJson(fs.readFileSync(file, "utf8"), password);
    return new Wallet(wallet.privateKey);
  } catch (cause) {
    throw new AsixError("INVALID_CREDENTIALS", `cannot open keystore ${ref}: wrong password or not a keystore file`, { cause });
  }
}

const integer = (value: string | undefined, what: string, fallback: number) => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new AsixError("INVALID_INPUT", `${what} must be a non-negative integer, got ${JSON.stringify(value)}`);
  return n;
};

/** Flags (with their env vars) over the config file over the devnet's defaults, checked. */
export async function resolveNodeSettings(kind: NodeKind, flags: NodeFlags, log: Logger): Promise<NodeRunSettings> {
  const file = readConfigFile(flags.config);
  const defaults = devnetDefaults(flags.devnet);
  const get = (name: SettingName) => flags[name] ?? file[name] ?? defaults[name];
  const required = (name: SettingName) => {
    const v = get(name);
    if (!v) throw new AsixError("INVALID_INPUT", `missing setting --${name} (or ${SETTING_FLAGS[name].env}, or "${name}" in the config file)`);
    return v;
  };
  const [cert, key] = [get("tls-cert"), get("tls-key")];
  if (!!cert !== !!key) throw new AsixError("INVALID_INPUT", "--tls-cert and --tls-key go together: give both or neither");
  const databaseUrl = get("database-url");
  if (databaseUrl !== undefined && kind !== "discovery-node") throw new AsixError("INVALID_INPUT", "--database-url is a discovery node setting");
  return {
    kind,
    ethRpcUrl: required("eth-rpc"),
    dataRpcUrl: required("data-rpc"),
    registryAddress: required("registry"),
    entityManagerAddress: get("entity-manager"),
    endpoint: required("endpoint"),
    dataDir: required("data-dir"),
    wallet: await openKeystore(required("keystore"), get("password-file")),
    port: integer(get("port"), "--port", 0),
    host: get("host") ?? "127.0.0.1",
    tls: cert && key ? { certFile: cert, keyFile: key } : undefined,
    caFile: get("ca-file"),
    identityUrl: get("identity-url"),
    databaseUrl,
    drainMs: integer(get("drain-ms"), "--drain-ms", 10_000),
    log,
  };
}
