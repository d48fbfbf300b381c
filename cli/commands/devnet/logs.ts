import { Args, Flags } from "@oclif/core";
import fs from "node:fs";
import path from "node:path";
import { AsixError } from "../../../sdk/errors";
import { DevnetCommand } from "../../devnetCommand";

export default class DevnetLogs extends DevnetCommand {
  static description = "Print the devnet's service logs (one JSON line per event), or follow them with -f";
  static examples = [
    "<%= config.bin %> devnet logs",
    "<%= config.bin %> devnet logs content-node-1 -f",
    "<%= config.bin %> devnet logs identity-service --lines 20",
    { description: '--json prints {"lines": [{"t": "2026-…Z", "service": "content-node-1", "msg": "content node listening", ...}, ...]} (not with -f)', command: "<%= config.bin %> devnet logs content-1 --json" },
  ];
  static args = { service: Args.string({ description: "one service: content-node-N (or content-N), discovery-node, discovery-node-N, identity-service, oauth-provider, control, supervisor" }) };
  static flags = {
    follow: Flags.boolean({ char: "f", description: "keep printing new lines until Ctrl-C" }),
    lines: Flags.integer({ char: "n", description: "print only the last N lines of each log first", min: 0 }),
  };

  async run(): Promise<{ lines: Array<Record<string, unknown>> } | void> {
    const { args, flags } = await this.parse(DevnetLogs);
    if (flags.follow && this.jsonEnabled()) throw new AsixError("INVALID_INPUT", "--json prints the logs once: leave out -f");
    const logsDir = path.join(this.dirOf(flags), "logs");
    const available = fs.existsSync(logsDir) ? fs.readdirSync(logsDir).filter((f) => f.endsWith(".log")).map((f) => f.slice(0, -4)).sort() : [];
    if (available.length === 0) throw new AsixError("NOT_FOUND", `no devnet logs in ${logsDir} (start one with: npx asix devnet up --detach)`);
    let services = available;
    if (args.service) {
      const wanted = serviceName(args.service);
      if (!available.includes(wanted)) throw new AsixError("NOT_FOUND", `no log for ${JSON.stringify(args.service)}: one of ${available.join(", ")}`);
      services = [wanted];
    }
    const prefix = (service: string) => (services.length > 1 ? `${service} | ` : "");
    const offsets = new Map<string, number>();
    const entries: Array<Record<string, unknown>> = [];
    for (const service of services) {
      const file = path.join(logsDir, `${service}.log`);
      const text = fs.readFileSync(file, "utf8");
      let lines = text.split("\n").filter(Boolean);
      if (flags.lines !== undefined) lines = flags.lines === 0 ? [] : lines.slice(-flags.lines);
      for (const line of lines) {
        this.log(prefix(service) + line);
        entries.push(parseLine(service, line));
      }
      offsets.set(service, Buffer.byteLength(text));
    }
    if (!flags.follow) return { lines: entries };
    await follow(logsDir, services, offsets, (service, line) => this.log(prefix(service) + line));
  }
}

/** A log line is one JSON object; the supervisor's are plain text, kept as `msg`. */
function parseLine(service: string, line: string): Record<string, unknown> {
  try {
    const entry = JSON.parse(line) as unknown;
    if (entry && typeof entry === "object" && !Array.isArray(entry)) return { service, ...(entry as Record<string, unknown>) };
  } catch {
    // not JSON
  }
  return { service, msg: line };
}

/** content-1 is content-node-1's log; discovery-1 the first discovery node's. */
function serviceName(name: string): string {
  const content = /^content-(\d+)$/.exec(name);
  if (content) return `content-node-${content[1]}`;
  const discovery = /^discovery-(\d+)$/.exec(name);
  if (discovery) return discovery[1] === "1" ? "discovery-node" : `discovery-node-${discovery[1]}`;
  return name;
}

/** Print what is appended to the logs, as it is written, until SIGINT or SIGTERM. */
async function follow(logsDir: string, services: string[], offsets: Map<string, number>, print: (service: string, line: string) => void): Promise<void> {
  const partial = new Map<string, string>();
  const readMore = (service: string) => {
    const file = path.join(logsDir, `${service}.log`);
    let size: number;
    try {
      size = fs.statSync(file).size;
    } catch {
      return;
    }
    const from = offsets.get(service) ?? 0;
    // A reset or a truncation starts the file over.
    const start = size < from ? 0 : from;
    if (size === start) return;
    const fd = fs.openSync(file, "r");
    const chunk = Buffer.alloc(size - start);
    fs.readSync(fd, chunk, 0, chunk.length, start);
    fs.closeSync(fd);
    offsets.set(service, size);
    const lines = ((partial.get(service) ?? "") + chunk.toString("utf8")).split("\n");
    partial.set(service, lines.pop() ?? "");
    for (const line of lines) if (line) print(service, line);
  };
  const watcher = fs.watch(logsDir, (_event, file) => {
    const service = typeof file === "string" && file.endsWith(".log") ? file.slice(0, -4) : undefined;
    if (service && services.includes(service)) readMore(service);
  });
  await new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
  watcher.close();
}
