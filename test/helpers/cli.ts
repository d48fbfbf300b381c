import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const ASIX_BIN = path.resolve(__dirname, "../../cli/bin/run.js");

/** Each test process gets its own config dir, so no real user keystore is read or written. */
const CONFIG_HOME = fs.mkdtempSync(path.join(os.tmpdir(), "asix-config-"));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON, when it is JSON */
  json?: any;
}

/** Run the built `asix` CLI as a user would (a separate process), with a clean environment. */
export function asix(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ASIX_BIN, ...args], {
      cwd: options.cwd,
      env: { ...process.env, ASIX_ACCOUNT: "", ASIX_PRIVATE_KEY: "", ASIX_DEVNET_DIR: "", ASIX_NETWORK: "", ASIX_PASSWORD: "", NODE_OPTIONS: "", XDG_CONFIG_HOME: CONFIG_HOME, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    child.on("error", reject);
    child.on("close", (code) => {
      let json: unknown;
      try {
        json = JSON.parse(stdout);
      } catch {
        json = undefined;
      }
      resolve({ code, stdout, stderr, json });
    });
  });
}
