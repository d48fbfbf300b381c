import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startDevnet, type Devnet, type StartDevnetOptions } from "../../devnet";

/** A fresh devnet in a temp dir, quiet, stopped by the caller. */
export async function startTestDevnet(options: StartDevnetOptions = {}): Promise<Devnet> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-devnet-"));
  return startDevnet({ dir, ...options });
}
