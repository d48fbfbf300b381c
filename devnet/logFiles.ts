import fs from "node:fs";
import path from "node:path";
import { createLogger, type Logger } from "./services/http";

/** `<dir>/logs/<service>.log`, where `asix devnet logs` reads them. */
export function logFile(dir: string, service: string): string {
  return path.join(dir, "logs", `${service}.log`);
}

export interface LogFiles {
  /** A logger for one service, appending to its file (or only to the console sink when files are off). */
  logger(service: string): Logger;
  /** Flush and close every file. */
  close(): Promise<void>;
}

export function openLogFiles(dir: string, enabled: boolean): LogFiles {
  fs.mkdirSync(path.join(dir, "logs"), { recursive: true });
  const streams: fs.WriteStream[] = [];
  return {
    logger(service) {
      if (!enabled) return createLogger(service);
      const stream = fs.createWriteStream(logFile(dir, service), { flags: "a" });
      streams.push(stream);
      return createLogger(service, (line) => stream.write(line));
    },
    async close() {
      await Promise.all(streams.splice(0).map((s) => new Promise((resolve) => s.end(resolve))));
    },
  };
}
