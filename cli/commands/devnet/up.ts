import { Command, Flags } from "@oclif/core";
import { seedDevnet, startDevnet, type Devnet } from "../../../devnet";
import { isAsixError } from "../../../sdk/errors";
import { devnetDirFlag } from "../../devnetDirFlag";

export default class DevnetUp extends Command {
  static description = "Start a local Asix+ network: two chains, every contract, content nodes, a discovery node and an identity service";
  static examples = [
    "<%= config.bin %> devnet up",
    "<%= config.bin %> devnet up --content-nodes 3 --devnet /tmp/asix",
    "<%= config.bin %> devnet up --discovery-nodes 2",
    { description: '--json prints {"dir": "…", "pid": 12345, "ethChain": {"url": "http://127.0.0.1:…", "chainId": 31337, "contracts": {...}}, "dataChain": {...}, "services": {"discovery": [...], "identity": "…", "contentNodes": [...]}, "accounts": [{"index": 0, "address": "0x…", "privateKey": "0x…", "role": "…"}, ...], ...} (then runs until Ctrl-C)', command: '<%= config.bin %> devnet up --json' },
  ];
  static enableJsonFlag = true;
  static flags = {
    devnet: devnetDirFlag,
    "content-nodes": Flags.integer({ description: "number of content nodes (1-3)", default: 3, min: 1, max: 3 }),
    "discovery-nodes": Flags.integer({ description: "number of discovery nodes (1-3), each indexing the same chains", default: 1, min: 1, max: 3 }),
    "replication-factor": Flags.integer({ description: "copies of each blob", default: 2, min: 1 }),
    "eth-port": Flags.integer({ description: "eth chain JSON-RPC port (default: free port)" }),
    "data-port": Flags.integer({ description: "data chain JSON-RPC port (default: free port)" }),
    "discovery-port": Flags.integer({ description: "discovery node port (default: free port)" }),
    reset: Flags.boolean({ description: "throw away the saved network and start fresh (by default a restart keeps the data)" }),
    seed: Flags.boolean({ description: "once up, fill it with a seeded catalog (as `asix devnet seed`; skipped when already seeded)" }),
    "seed-value": Flags.integer({ description: "with --seed: the seed value (the same value gives the same catalog)", default: 1, min: 0, dependsOn: ["seed"] }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(DevnetUp);
    const started = Date.now();
    let devnet: Devnet;
    try {
      devnet = await startDevnet({
        dir: flags.devnet,
        contentNodes: flags["content-nodes"],
        discoveryNodes: flags["discovery-nodes"],
        replicationFactor: Math.min(flags["replication-factor"], flags["content-nodes"]),
        ports: { ethChain: flags["eth-port"], dataChain: flags["data-port"], discovery: flags["discovery-port"] },
        persist: true,
        reset: flags.reset,
      });
    } catch (e) {
      process.stderr.write(`asix: devnet failed to start: ${(e as Error).message}\n`);
      process.exitCode = 1;
      return;
    }
    const { stop, contentNode: _contentNode, discoveryNode: _discoveryNode, ...state } = devnet;
    if (flags.seed) {
      try {
        const seeded = await seedDevnet(state, { seed: flags["seed-value"] });
        if (!this.jsonEnabled()) this.log(`Seeded ${seeded.artists.length} artists and ${seeded.tracks.length} tracks (seed value ${seeded.seed}) in ${(seeded.ms / 1000).toFixed(1)} s`);
      } catch (e) {
        if (!isAsixError(e, "CONFLICT")) {
          process.stderr.write(`asix: seeding failed: ${(e as Error).message}\n`);
          await stop();
          process.exitCode = 1;
          return;
        }
        if (!this.jsonEnabled()) this.log(`Not seeded again: ${(e as Error).message}`);
      }
    }
    if (this.jsonEnabled()) {
      this.logJson(state);
    } else {
      this.log(`Asix+ devnet is up in ${((Date.now() - started) / 1000).toFixed(1)} s (state: ${state.dir}/devnet.json)\n`);
      this.log(`  eth chain      ${state.ethChain.url}  (chain id ${state.ethChain.chainId})`);
      this.log(`  data chain     ${state.dataChain.url}  (chain id ${state.dataChain.chainId})`);
      this.log(`  discovery      ${state.services.discovery.join(", ")}`);
      this.log(`  identity       ${state.services.identity}`);
      state.services.contentNodes.forEach((u, i) => this.log(`  content node ${i + 1} ${u}`));
      if (state.services.explorer) this.log(`  explorer       ${state.services.explorer}`);
      this.log(`\n  EntityManager  ${state.dataChain.contracts.entityManager}`);
      for (const [name, address] of Object.entries(state.ethChain.contracts)) this.log(`  ${name.padEnd(14)} ${address}`);
      this.log("\nFunded accounts (devnet only: these keys are public):");
      for (const a of state.accounts) this.log(`  ${String(a.index).padStart(2)} ${a.address} ${a.privateKey}  ${a.role}`);
      this.log("\nPress Ctrl-C to stop.");
    }
    await new Promise<void>((resolve) => {
      const shutdown = () => resolve();
      process.once("SIGINT", shutdown);
      process.once("SIGTERM", shutdown);
    });
    if (!this.jsonEnabled()) this.log("\nStopping the devnet...");
    await stop();
  }
}
