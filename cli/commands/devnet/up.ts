import { Command, Flags } from "@oclif/core";
import path from "node:path";
import {
  DEFAULT_PORT_BASE,
  DEVNET_SERVICES,
  MAX_DEVNET_CONTENT_NODES,
  MAX_DEVNET_DISCOVERY_NODES,
  cleanUpStale,
  startDetached,
  seedDevnet,
  startDevnet,
  type DevnetService,
  type DevnetState,
} from "../../../devnet";
import { isAsixError } from "../../../sdk/errors";
import { devnetDirFlag } from "../../devnetDirFlag";

export default class DevnetUp extends Command {
  static description = "Start a local Asix+ network: two chains, every contract, content nodes, discovery nodes and an identity service";
  static examples = [
    "<%= config.bin %> devnet up",
    "<%= config.bin %> devnet up --detach",
    "<%= config.bin %> devnet up --content-nodes 5 --discovery-nodes 2 --replication 3",
    "<%= config.bin %> devnet up --port-base 4800 --devnet /tmp/asix",
    "<%= config.bin %> devnet up --without identity --block-time 1000",
    { description: '--json prints {"dir": "…", "pid": 12345, "ethChain": {"url": "http://127.0.0.1:4700", "chainId": 31337, "contracts": {...}}, "dataChain": {...}, "services": {...}, "control": "http://127.0.0.1:4704", "accounts": [...], ...} (in the foreground it then runs until Ctrl-C)', command: "<%= config.bin %> devnet up --json" },
  ];
  static enableJsonFlag = true;
  static flags = {
    devnet: devnetDirFlag,
    detach: Flags.boolean({ char: "d", description: "run in the background: return once every service is healthy (stop it with `asix devnet down`)" }),
    "content-nodes": Flags.integer({ description: `number of content nodes (1-${MAX_DEVNET_CONTENT_NODES})`, default: 3, min: 1, max: MAX_DEVNET_CONTENT_NODES }),
    "discovery-nodes": Flags.integer({ description: `number of discovery nodes (1-${MAX_DEVNET_DISCOVERY_NODES}), each indexing the same chains`, default: 1, min: 1, max: MAX_DEVNET_DISCOVERY_NODES }),
    replication: Flags.integer({ description: "copies of each blob (default 2, at most the number of content nodes)", min: 1, aliases: ["replication-factor"] }),
    "block-time": Flags.integer({ description: "block interval in ms (default 0: a block per transaction, at once)", default: 0, min: 0 }),
    only: Flags.string({ description: `start only these services (the chains always run): ${DEVNET_SERVICES.join(", ")}`, options: [...DEVNET_SERVICES], multiple: true, delimiter: ",", exclusive: ["without"] }),
    without: Flags.string({ description: `leave these services out: ${DEVNET_SERVICES.join(", ")}`, options: [...DEVNET_SERVICES], multiple: true, delimiter: ",", exclusive: ["only"] }),
    "port-base": Flags.integer({
      description: `first of the devnet's fixed ports (eth chain +0, data chain +1, identity +2, OAuth provider +3, control +4, discovery nodes +10…, content nodes +20…); 0 picks free ports`,
      default: DEFAULT_PORT_BASE,
      env: "ASIX_DEVNET_PORT_BASE",
      min: 0,
    }),
    "eth-port": Flags.integer({ description: "eth chain JSON-RPC port (default: from --port-base)" }),
    "data-port": Flags.integer({ description: "data chain JSON-RPC port (default: from --port-base)" }),
    "discovery-port": Flags.integer({ description: "first discovery node's port (default: from --port-base)" }),
    tls: Flags.boolean({ description: "serve every service over HTTPS with certificates from a devnet CA made in <dir>/tls (clients trust ca.pem: the CLI does so with --devnet)" }),
    reset: Flags.boolean({ description: "throw away the saved network and start fresh (by default a restart keeps the data)" }),
    seed: Flags.boolean({ description: "once up, fill it with a seeded catalog (as `asix devnet seed`; skipped when already seeded)" }),
    "seed-value": Flags.integer({ description: "with --seed: the seed value (the same value gives the same catalog; default 1)", min: 0, dependsOn: ["seed"] }),
    "seed-cache": Flags.boolean({ description: "with --seed: use the seed cache, as `asix devnet seed` does (--no-seed-cache: always seed for real)", default: true, allowNo: true }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(DevnetUp);
    const dir = path.resolve(flags.devnet);
    const started = Date.now();
    let state: DevnetState;
    let stop: (() => Promise<void>) | undefined;
    try {
      // A supervisor killed with SIGKILL left its devnet.json and maybe children (ffmpeg) behind.
      cleanUpStale(dir);
      if (flags.detach) {
        state = await startDetached(dir, [process.argv[1], "devnet", "up", ...supervisorArgs(this.argv), "--devnet", dir]);
      } else {
        const devnet = await startDevnet({
          dir,
          contentNodes: flags["content-nodes"],
          discoveryNodes: flags["discovery-nodes"],
          replicationFactor: flags.replication === undefined ? undefined : Math.min(flags.replication, flags["content-nodes"]),
          blockTime: flags["block-time"],
          only: flags.only as DevnetService[] | undefined,
          without: flags.without as DevnetService[] | undefined,
          portBase: flags["port-base"] || undefined,
          ports: { ethChain: flags["eth-port"], dataChain: flags["data-port"], discovery: flags["discovery-port"] },
          persist: true,
          reset: flags.reset,
          tls: flags.tls,
        });
        const { stop: stopDevnet, contentNode: _c, discoveryNode: _d, snapshots: _s, time: _t, ...rest } = devnet;
        state = rest;
        stop = stopDevnet;
      }
    } catch (e) {
      process.stderr.write(`asix: devnet failed to start: ${(e as Error).message}\n`);
      process.exitCode = 1;
      return;
    }
    // Seeded here, not in a detached supervisor, so `up --detach --seed` returns with the catalog in place.
    if (flags.seed && !(await this.seedOnce(state, flags["seed-value"] ?? 1, flags["seed-cache"]))) {
      await stop?.();
      process.exitCode = 1;
      return;
    }
    if (this.jsonEnabled()) this.logJson(state);
    else this.printState(state, Date.now() - started, flags.detach);
    if (!stop) return;
    await new Promise<void>((resolve) => {
      process.once("SIGINT", () => resolve());
      process.once("SIGTERM", () => resolve());
    });
    if (!this.jsonEnabled()) this.log("\nStopping the devnet...");
    await stop();
  }

  /** Fill the devnet with the seeded catalog; false (having said why) when seeding failed. */
  private async seedOnce(state: DevnetState, seed: number, cache: boolean): Promise<boolean> {
    try {
      const seeded = await seedDevnet(state, { seed, cache: cache ? undefined : false });
      if (!this.jsonEnabled()) this.log(`${seeded.fromCache ? "Seeded from cache" : "Seeded"} ${seeded.artists.length} artists and ${seeded.tracks.length} tracks (seed value ${seeded.seed}) in ${(seeded.ms / 1000).toFixed(1)} s`);
    } catch (e) {
      if (!isAsixError(e, "CONFLICT")) {
        process.stderr.write(`asix: seeding failed: ${(e as Error).message}\n`);
        return false;
      }
      if (!this.jsonEnabled()) this.log(`Not seeded again: ${(e as Error).message}`);
    }
    return true;
  }

  private printState(state: DevnetState, ms: number, detached: boolean): void {
    this.log(`Asix+ devnet is up in ${(ms / 1000).toFixed(1)} s (state: ${state.dir}/devnet.json${detached ? `, pid ${state.pid}` : ""})\n`);
    this.log(`  eth chain      ${state.ethChain.url}  (chain id ${state.ethChain.chainId})`);
    this.log(`  data chain     ${state.dataChain.url}  (chain id ${state.dataChain.chainId})`);
    this.log(`  discovery      ${state.services.discovery.join(", ")}`);
    if (state.services.identity) this.log(`  identity       ${state.services.identity}`);
    state.services.contentNodes.forEach((u, i) => this.log(`  content node ${i + 1} ${u}`));
    if (state.services.explorer) this.log(`  explorer       ${state.services.explorer}`);
    if (state.control) this.log(`  control API    ${state.control}`);
    this.log(`\n  EntityManager  ${state.dataChain.contracts.entityManager}`);
    for (const [name, address] of Object.entries(state.ethChain.contracts)) this.log(`  ${name.padEnd(14)} ${address}`);
    this.log("\nFunded accounts (devnet only: these keys are public):");
    for (const a of state.accounts) this.log(`  ${String(a.index).padStart(2)} ${a.address} ${a.privateKey}  ${a.role}`);
    this.log(detached ? "\nRunning in the background: asix devnet status | logs -f | down" : "\nPress Ctrl-C to stop.");
  }
}

/** The supervisor's own flags: these, without the ones only the detaching command acts on. */
function supervisorArgs(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--detach" || a === "-d" || a === "--json" || a === "--seed" || a === "--seed-cache" || a === "--no-seed-cache" || a.startsWith("--seed-value=") || a.startsWith("--devnet=") || a.startsWith("--dir=")) continue;
    if (a === "--devnet" || a === "--dir" || a === "--seed-value") {
      i++;
      continue;
    }
    out.push(a);
  }
  return out;
}
