import fs from "node:fs";
import path from "node:path";
import { Contract, JsonRpcProvider, Wallet } from "ethers";
import { AsixError } from "../../../sdk/errors";
import { ETH_CONTRACT_ABIS, ETH_REGISTRY_KEYS, type EthContractName } from "../../../sdk/protocol/ethContracts";
import type { RegisteredNode, ServiceTypeName } from "../../../sdk/protocol/nodes";
import { startContentNode } from "../content-node";
import { startDiscoveryNode } from "../discovery-node";
import type { ServeOptions } from "../http";
import { startIdentityService } from "../identity-service";
import { createServiceDirectory, type ServiceDirectory } from "../serviceDirectory";
import type { Logger } from "./logging";
import { loadTls, trustCa, type TlsFiles } from "./tls";

/**
 * One service as its own long-lived process against any network (`asix node run`): the network
 * is two RPC URLs and the eth chain's Registry, everything else is read from the chain. The
 * services start through the same start functions the devnet uses.
 */

import { NODE_KINDS, type NodeKind } from "./nodeKinds";
export { NODE_KINDS, type NodeKind };

/** Everything one `asix node run` process needs (flags, env vars and a config file resolve to this). */
export interface NodeRunSettings {
  /** which service to run */
  kind: NodeKind;
  /** JSON-RPC URL of the eth chain (staking, the Registry) */
  ethRpcUrl: string;
  /** JSON-RPC URL of the data chain (EntityManager) */
  dataRpcUrl: string;
  /** the eth chain's Registry, where ServiceProviderFactory and the rest are found */
  registryAddress: string;
  /** the data chain's EntityManager (the discovery node indexes it; the identity service relays to it) */
  entityManagerAddress?: string;
  /** the node's wallet (its registered delegate wallet) */
  wallet: Wallet;
  /** the public URL registered on chain */
  endpoint: string;
  /** where the service keeps its database and blobs */
  dataDir: string;
  /** the local port to listen on */
  port: number;
  /** the local address to listen on */
  host: string;
  /** a certificate and key: the service serves HTTPS with them */
  tls?: TlsFiles;
  /** a CA to trust for outgoing HTTPS (a devnet's), besides the system roots */
  caFile?: string;
  /** how long SIGTERM waits for requests in flight before closing them */
  drainMs: number;
  /** the identity service a discovery node forwards /relay to */
  identityUrl?: string;
  /** a discovery node's PostgreSQL database (postgres://…); default SQLite in dataDir */
  databaseUrl?: string;
  /** where the service's JSON log lines go */
  log: Logger;
}

/** A service started by {@link runNode}. */
export interface RunningNode {
  /** the URL it serves on locally */
  url: string;
  /** stop taking connections, drain requests in flight (up to `drainMs`), then close */
  stop(): Promise<void>;
}

type Contracts = Record<"serviceProviderFactory" | "staking" | "delegateManager" | "token", string>;

/** The addresses the Registry names, read from the chain; a wrong Registry address says so. */
async function lookUp(provider: JsonRpcProvider, registryAddress: string): Promise<Contracts> {
  if ((await provider.getCode(registryAddress)) === "0x") {
    throw new AsixError("INVALID_INPUT", `no contract at registry address ${registryAddress} on ${provider._getConnection().url}: check --registry and --eth-rpc`);
  }
  const registry = new Contract(registryAddress, ETH_CONTRACT_ABIS.registry, provider);
  const names: (keyof Contracts & EthContractName)[] = ["serviceProviderFactory", "staking", "delegateManager", "token"];
  const addresses = await Promise.all(names.map((n) => registry.getContract(ETH_REGISTRY_KEYS[n]) as Promise<string>));
  return Object.fromEntries(names.map((n, i) => [n, addresses[i]])) as Contracts;
}

const sameUrl = (a: string, b: string) => a.replace(/\/+$/, "").toLowerCase() === b.replace(/\/+$/, "").toLowerCase();

/**
 * The node's registration: its endpoint must be registered as `type` with this wallet as the
 * delegate wallet, else a one-line AsixError says what to run.
 */
export async function checkRegistration(directory: ServiceDirectory, type: ServiceTypeName, endpoint: string, wallet: string): Promise<RegisteredNode> {
  const node = (await directory.list(type)).find((n) => sameUrl(n.endpoint, endpoint));
  if (!node) {
    throw new AsixError(
      "NOT_FOUND",
      `${endpoint} is not registered as a ${type}: run \`asix node register ${type} ${endpoint} --stake <AUDIO> --delegate-wallet ${wallet}\` as the operator, then start the node again`,
    );
  }
  if (node.delegateOwnerWallet.toLowerCase() !== wallet.toLowerCase()) {
    throw new AsixError(
      "UNAUTHORIZED",
      `${endpoint} is registered (spId ${node.spId}) with delegate wallet ${node.delegateOwnerWallet}, not this node's wallet ${wallet}: start the node with that wallet's keystore`,
    );
  }
  return node;
}

/** Check the settings against the chain, then start the service. */
export async function runNode(s: NodeRunSettings): Promise<RunningNode> {
  if (!/^https?:\/\//.test(s.endpoint)) throw new AsixError("INVALID_INPUT", `endpoint must be an http(s):// URL, got ${JSON.stringify(s.endpoint)}`);
  if (s.endpoint.startsWith("https:") && !s.tls) {
    // Behind a TLS-terminating proxy the node itself may serve plain HTTP: only warn.
    s.log("endpoint is https:// but no --tls-cert/--tls-key were given; serving plain HTTP (behind a TLS proxy)", { endpoint: s.endpoint });
  }
  if (s.caFile) trustCa(readText(s.caFile, "CA file"));
  const serve: ServeOptions = { tls: s.tls ? loadTls(s.tls) : undefined, drainMs: s.drainMs, host: s.host, publicUrl: s.endpoint };
  const eth = new JsonRpcProvider(s.ethRpcUrl, undefined, { staticNetwork: false });
  const data = new JsonRpcProvider(s.dataRpcUrl);
  try {
    const [ethNetwork, dataNetwork] = await Promise.all([
      eth.getNetwork().catch((cause) => Promise.reject(new AsixError("NODE_UNAVAILABLE", `cannot reach the eth chain at ${s.ethRpcUrl}`, { cause }))),
      data.getNetwork().catch((cause) => Promise.reject(new AsixError("NODE_UNAVAILABLE", `cannot reach the data chain at ${s.dataRpcUrl}`, { cause }))),
    ]);
    const contracts = await lookUp(eth, s.registryAddress);
    const directory = createServiceDirectory({ rpcUrl: s.ethRpcUrl, chainId: Number(ethNetwork.chainId), serviceProviderFactoryAddress: contracts.serviceProviderFactory, cacheMs: 2000 });
    const dir = path.resolve(s.dataDir);
    let node: RunningNode;
    try {
      node = await start(s, { directory, contracts, dir, serve, ethChainId: Number(ethNetwork.chainId), dataChainId: Number(dataNetwork.chainId) });
    } catch (e) {
      directory.close();
      throw e;
    }
    return {
      url: node.url,
      async stop() {
        await node.stop();
        directory.close();
      },
    };
  } finally {
    eth.destroy();
    data.destroy();
  }
}

interface Resolved {
  directory: ServiceDirectory;
  contracts: Contracts;
  dir: string;
  serve: ServeOptions;
  ethChainId: number;
  dataChainId: number;
}

async function start(s: NodeRunSettings, r: Resolved): Promise<RunningNode> {
  const { directory } = r;
  if (s.kind === "content-node") {
    const registered = await checkRegistration(directory, "content-node", s.endpoint, s.wallet.address);
    return startContentNode({
      serve: r.serve,
      dir: r.dir,
      port: s.port,
      privateKey: s.wallet.privateKey,
      spId: registered.spId,
      peers: async () => (await directory.list("content-node")).map((n) => n.endpoint),
      peerSigners: async () => (await directory.list("content-node")).map((n) => n.delegateOwnerWallet),
      discoverySigners: async () => (await directory.list("discovery-node")).map((n) => n.delegateOwnerWallet),
      discoveryNodes: () => directory.list("discovery-node"),
      log: s.log,
    });
  }
  const entityManagerAddress = need(s.entityManagerAddress, "--entity-manager (the data chain's EntityManager address)");
  if (s.kind === "discovery-node") {
    await checkRegistration(directory, "discovery-node", s.endpoint, s.wallet.address);
    return startDiscoveryNode({
      serve: r.serve,
      dir: r.dir,
      databaseUrl: s.databaseUrl,
      port: s.port,
      privateKey: s.wallet.privateKey,
      dataChain: { rpcUrl: s.dataRpcUrl, chainId: r.dataChainId, entityManagerAddress },
      ethChain: { rpcUrl: s.ethRpcUrl, serviceProviderFactoryAddress: r.contracts.serviceProviderFactory },
      identityUrl: need(s.identityUrl, "--identity-url (the identity service /relay is forwarded to)"),
      log: s.log,
    });
  }
  // The identity service is not a staked node type: nothing to check on chain; its wallet relays.
  return startIdentityService({
    serve: r.serve,
    dir: r.dir,
    port: s.port,
    dataChain: { rpcUrl: s.dataRpcUrl, chainId: r.dataChainId, entityManagerAddress },
    relayerPrivateKeys: [s.wallet.privateKey],
    discoveryNodes: async () => (await directory.list("discovery-node")).map((n) => n.endpoint),
    ethChain: {
      rpcUrl: s.ethRpcUrl,
      chainId: r.ethChainId,
      tokenAddress: r.contracts.token,
      stakingAddress: r.contracts.staking,
      delegateManagerAddress: r.contracts.delegateManager,
      serviceProviderFactoryAddress: r.contracts.serviceProviderFactory,
    },
    log: s.log,
  });
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined || value === "") throw new AsixError("INVALID_INPUT", `missing setting ${what}`);
  return value;
}

function readText(file: string, what: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new AsixError("INVALID_INPUT", `cannot read the ${what} ${file}: ${(e as Error).message}`);
  }
}
