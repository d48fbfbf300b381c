import crypto from "node:crypto";
import fs from "node:fs";
import https from "node:https";
import path from "node:path";
import tls from "node:tls";
import forge from "node-forge";
import { Agent, fetch as undiciFetch, setGlobalDispatcher } from "undici";
import { AsixError } from "../../../sdk/errors";

/**
 * TLS for the services: the certificate and key a service serves HTTPS with, a devnet CA that
 * signs node certificates (node-forge builds the X.509 structures, node:crypto makes the keys,
 * so no openssl binary is needed), and trust in that CA for outgoing calls. Trust is added to the
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

/** Where a devnet keeps its CA and the one certificate its local nodes share. */
export interface DevnetCaFiles extends TlsFiles {
  caFile: string;
}

function rsaKeys(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; pem: string } {
  const { privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
  const pem = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
  return { privateKey: forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e), pem };
}

function certificate(subject: string, publicKey: forge.pki.PublicKey, issuer: forge.pki.CertificateField[] | undefined, extensions: object[]): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = "01" + crypto.randomBytes(15).toString("hex");
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 365 * 24 * 3600_000);
  const attrs = [{ name: "commonName", value: subject }, { name: "organizationName", value: "Asix+ devnet" }];
  cert.setSubject(attrs);
  cert.setIssuer(issuer ?? attrs);
  cert.setExtensions(extensions);
  return cert;
}

/**
 * A devnet CA and a certificate it signs for 127.0.0.1 and localhost (every devnet node listens
 * there), written to `dir` as ca.pem, node.pem and node-key.pem. The CA's own key is not kept: the
 * devnet never signs again, and a key that does not exist cannot leak.
 */
export function createDevnetCa(dir: string, hosts: string[] = ["127.0.0.1", "localhost"]): DevnetCaFiles {
  fs.mkdirSync(dir, { recursive: true });
  const ca = rsaKeys();
  // Each CA gets its own name, so a client holding another devnet's CA is told "unknown issuer".
  const caCert = certificate(`Asix+ devnet CA ${crypto.randomBytes(4).toString("hex")}`, ca.publicKey, undefined, [
    { name: "basicConstraints", cA: true, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
  ]);
  caCert.sign(ca.privateKey, forge.md.sha256.create());
  const node = rsaKeys();
  const altNames = hosts.map((h) => (/^[\d.]+$|:/.test(h) ? { type: 7, ip: h } : { type: 2, value: h }));
  const nodeCert = certificate(hosts[0], node.publicKey, caCert.subject.attributes, [
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    { name: "extKeyUsage", serverAuth: true },
    { name: "subjectAltName", altNames },
  ]);
  nodeCert.sign(ca.privateKey, forge.md.sha256.create());
  const files = { caFile: path.join(dir, "ca.pem"), certFile: path.join(dir, "node.pem"), keyFile: path.join(dir, "node-key.pem") };
  fs.writeFileSync(files.caFile, forge.pki.certificateToPem(caCert));
  fs.writeFileSync(files.certFile, forge.pki.certificateToPem(nodeCert));
  fs.writeFileSync(files.keyFile, node.pem, { mode: 0o600 });
  return files;
}

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
