import fs from "node:fs";
import https from "node:https";
import tls from "node:tls";
import type * as Undici from "undici";
import { AsixError } from "../../../sdk/errors";

/**
 * TLS for the services: the certificate and key a service serves HTTPS with, and trust in a CA
 * (a devnet's, made by tlsCa.ts) for outgoing calls. Trust is added to the
 * system roots, never by turning verification off.
 */

export interface TlsFiles {
  certFile: string;
  keyFile: string;
}

export interface TlsMaterial {
  cert: string;
  key: string;
}

export function loadTls(files: TlsFiles): TlsMaterial {
  const read = (file: string, what: string) => {
    try {
      return fs.readFileSync(file, "utf8");
    } catch (e) {
      throw new AsixError("INVALID_INPUT", `cannot read the TLS ${what} ${file}: ${(e as Error).message}`);
    }
  };
  const material = { cert: read(files.certFile, "certificate"), key: read(files.keyFile, "key") };
  try {
    tls.createSecureContext(material);
  } catch (e) {
    throw new AsixError("INVALID_INPUT", `the TLS certificate ${files.certFile} and key ${files.keyFile} do not make a usable pair: ${(e as Error).message}`);
  }
  return material;
}

// undici (about 0.4 s to load) only when a process trusts a CA: every content node imports this file.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const undici = (): typeof Undici => require("undici");

const extraCas: string[] = [];
let agent: https.Agent | undefined;

/** The system roots plus every CA this process was told to trust. */
export function trustedCas(): string[] {
  return [...tls.rootCertificates, ...extraCas];
}

/**
 * Trust `caPem` for this process's outgoing HTTPS: the platform fetch (through undici's global
 * dispatcher, which Node's fetch reads) and node:https calls made with peerHttpsAgent().
 */
export function trustCa(caPem: string): void {
  if (extraCas.includes(caPem)) return;
  extraCas.push(caPem);
  const { Agent, setGlobalDispatcher } = undici();
  setGlobalDispatcher(new Agent({ connect: { ca: trustedCas() } }));
  agent?.destroy();
  agent = undefined;
}

/** A keep-alive https.Agent that trusts what trustCa() was given. */
export function peerHttpsAgent(): https.Agent {
  agent ??= new https.Agent({ keepAlive: true, maxSockets: 16, ca: trustedCas() });
  return agent;
}

/** A fetch that trusts `caPem` on top of the system roots, for an SDK client (its `fetch` option). */
export function fetchTrusting(caPem: string): typeof fetch {
  const { Agent, fetch: undiciFetch } = undici();
  const dispatcher = new Agent({ connect: { ca: [...tls.rootCertificates, caPem] } });
  return ((input: Parameters<typeof fetch>[0], init?: RequestInit) =>
    undiciFetch(input as Parameters<typeof undiciFetch>[0], { ...(init as object), dispatcher } as Parameters<typeof undiciFetch>[1])) as unknown as typeof fetch;
}

/**
 * How a service's main.ts serves, from the environment: ASIX_TLS_CERT and ASIX_TLS_KEY (HTTPS),
 * ASIX_CA_FILE (an extra CA its outgoing calls trust), ASIX_DRAIN_MS (the drain on SIGTERM).
 */
export function serveFromEnv(env: NodeJS.ProcessEnv = process.env): { tls?: TlsMaterial; drainMs?: number } {
  if (!!env.ASIX_TLS_CERT !== !!env.ASIX_TLS_KEY) throw new AsixError("INVALID_INPUT", "ASIX_TLS_CERT and ASIX_TLS_KEY go together");
  if (env.ASIX_CA_FILE) trustCa(fs.readFileSync(env.ASIX_CA_FILE, "utf8"));
  return {
    tls: env.ASIX_TLS_CERT && env.ASIX_TLS_KEY ? loadTls({ certFile: env.ASIX_TLS_CERT, keyFile: env.ASIX_TLS_KEY }) : undefined,
    drainMs: env.ASIX_DRAIN_MS ? Number(env.ASIX_DRAIN_MS) : undefined,
  };
}
