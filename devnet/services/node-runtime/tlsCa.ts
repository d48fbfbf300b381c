import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import forge from "node-forge";
import type { TlsFiles } from "./tls";

/*
 * A devnet's certificate authority (`asix devnet up --tls`): node-forge builds the X.509
 * structures, node:crypto makes the keys. Kept apart from tls.ts so serving and trusting HTTPS
 * never load node-forge.
 */

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

