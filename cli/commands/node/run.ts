import { Args, Flags } from "@oclif/core";
import { PlainCommand } from "../../plainCommand";
import { createLogger, NODE_KINDS, runNode, type NodeKind } from "../../../devnet";
import { resolveNodeSettings, SETTING_FLAGS, type NodeFlags } from "../../nodeRunSettings";

export default class NodeRun extends PlainCommand {
  static summary = "Run one service as its own long-lived process against any network";
  static description = [
    "Settings come from flags, then the ASIX_NODE_* environment variables named on each flag, then the JSON config file given with --config (its keys are the flag names, e.g. {\"eth-rpc\": \"https://…\"}): a flag beats the environment, which beats the file. --devnet DIR fills the chain settings, the identity service and the CA from a running devnet, below all three.",
    "The wallet is an encrypted keystore (from `asix account create|import`: an account name, or a keystore file's path); its password comes from --password-file, else ASIX_PASSWORD, else a prompt. A raw private key is never read from settings.",
    "On start the node checks that its endpoint is registered on chain (ServiceProviderFactory, found through the Registry) with its wallet as the delegate wallet, and says what to run if not. It logs JSON lines (pino) on stdout, serves /metrics (Prometheus) and echoes X-Request-ID. SIGTERM or SIGINT stops taking requests, lets those in flight finish (up to --drain-ms) and exits 0.",
  ].join("\n\n");

  static examples = [
    "<%= config.bin %> node run content-node --config node.json",
    {
      description: '--json prints {"kind": "content-node", "url": "https://cn1.example.com", "pid": 4242} once it serves, as the first of its JSON lines (failures: {"error": {"code", "message"}})',
      command: "<%= config.bin %> node run content-node --config node.json --json",
    },
    "<%= config.bin %> node run content-node --eth-rpc https://eth.example --data-rpc https://data.example --registry 0x… --keystore cn1 --password-file pw --endpoint https://cn1.example.com --data-dir /var/lib/asix --port 4000 --host 0.0.0.0 --tls-cert cert.pem --tls-key key.pem",
  ];

  static args = {
    kind: Args.string({ description: "which service", options: [...NODE_KINDS], required: true }),
  };

  static flags = {
    config: Flags.string({ description: "JSON config file (lowest precedence)", env: "ASIX_NODE_CONFIG" }),
    devnet: Flags.string({ description: "a devnet state dir: its chains, Registry, EntityManager, identity service and CA are the defaults" }),
    ...SETTING_FLAGS,
  };

  async run() {
    const { args, flags } = await this.parse(NodeRun);
    const kind = args.kind as NodeKind;
    const log = await createLogger(kind, (line) => process.stdout.write(line));
    const settings = await resolveNodeSettings(kind, flags as NodeFlags, log);
    const node = await runNode(settings);
    if (this.jsonEnabled()) process.stdout.write(JSON.stringify({ kind, url: node.url, pid: process.pid }) + "\n");
    process.stderr.write(`asix: ${kind} serving ${node.url} (pid ${process.pid})\n`);
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        log("stopping", { signal, drainMs: settings.drainMs });
        void node.stop().then(resolve, (e) => {
          log("stop failed", { error: String(e) });
          process.exitCode = 1;
          resolve();
        });
      };
      process.once("SIGTERM", () => stop("SIGTERM"));
      process.once("SIGINT", () => stop("SIGINT"));
    });
    log("stopped");
    // Whatever a library left scheduled (RPC pollers, keep-alive agents) must not hold the exit.
    process.exit(process.exitCode ?? 0);
  }
}
