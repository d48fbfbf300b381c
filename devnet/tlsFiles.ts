import fs from "node:fs";
import path from "node:path";
import type { ServeOptions } from "./services/http";
import { loadTls, trustCa } from "./services/node-runtime/tls";
import { createDevnetCa, type DevnetCaFiles } from "./services/node-runtime/tlsCa";

/** Where a devnet started with --tls keeps its CA and node certificate: `<dir>/tls/`. */
export function devnetCaFiles(dir: string): DevnetCaFiles {
  const tls = path.join(dir, "tls");
  return { caFile: path.join(tls, "ca.pem"), certFile: path.join(tls, "node.pem"), keyFile: path.join(tls, "node-key.pem") };
}

/**
 * The devnet's TLS: its CA and node certificate (made on first use, kept with a persistent
 * devnet), trusted by this process's outgoing calls so its nodes reach each other over HTTPS.
 */
export function devnetTls(dir: string): ServeOptions {
  let files = devnetCaFiles(dir);
  if (![files.caFile, files.certFile, files.keyFile].every((f) => fs.existsSync(f))) files = createDevnetCa(path.dirname(files.caFile));
  trustCa(fs.readFileSync(files.caFile, "utf8"));
  return { tls: loadTls(files) };
}
