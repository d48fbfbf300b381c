import os from "node:os";
import { Worker } from "node:worker_threads";
import { recoverAddress, Signature, SigningKey, Transaction, type TransactionRequest } from "ethers";

/**
 * ECDSA off the main thread: recovering each relayed action's signer, and the relayers' signing of
 * the transactions that carry them (pure JS secp256k1 both). Each was among the largest costs of a
 * relay on the thread that also runs the HTTP server, and on the devnet the chains and the other
 * services too (relayer signing was 12 % of that thread at 50 requests in flight); a worker lets a
 * second core do it. The code runs from a string so the built package needs no separate worker file.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { recoverAddress, Signature, SigningKey, Transaction } = require(workerData.ethers);
const keys = new Map();
parentPort.on("message", ({ id, digest, signature, key, tx }) => {
  try {
    if (key !== undefined) {
      let signingKey = keys.get(key);
      if (!signingKey) keys.set(key, (signingKey = new SigningKey(key)));
      const unsigned = Transaction.from(tx);
      unsigned.signature = signingKey.sign(unsigned.unsignedHash);
      parentPort.postMessage({ id, result: unsigned.serialized });
      return;
    }
    parentPort.postMessage({ id, result: recoverAddress(digest, Signature.from(signature)) });
  } catch (e) {
    parentPort.postMessage({ id, error: String((e && e.message) || e) });
  }
});
`;

/**
 * A transaction whose fields are all given (no provider lookups, no ENS names), signed as
 * Wallet.signTransaction signs it: the same bytes for a fixed key and fields (RFC 6979), at about
 * 1.6 ms of CPU instead of 2.2 (Wallet's copy and resolution of every field, its check of `from`).
 * The worker source above does the same with the same calls.
 */
function signFields(signingKey: SigningKey, tx: TransactionRequest): string {
  const unsigned = Transaction.from(tx as Parameters<typeof Transaction.from>[0]);
  unsigned.signature = signingKey.sign(unsigned.unsignedHash);
  return unsigned.serialized;
}

export interface SignerRecovery {
  /** The address that signed `digest`; throws when the signature recovers to none. */
  recover(digest: string, signature: string): Promise<string>;
  /** `tx` signed with `privateKey`, serialized for eth_sendRawTransaction (fields as plain values, no provider lookups). */
  signTransaction(privateKey: string, tx: TransactionRequest): Promise<string>;
  close(): Promise<void>;
}

const keysHere = new Map<string, SigningKey>();

/** Recovery on this thread (no worker): for tools and tests that relay a handful of actions. */
export const recoverHere: SignerRecovery = {
  recover: async (digest, signature) => recoverAddress(digest, Signature.from(signature)),
  signTransaction: async (privateKey, tx) => {
    let signingKey = keysHere.get(privateKey);
    if (!signingKey) keysHere.set(privateKey, (signingKey = new SigningKey(privateKey)));
    return signFields(signingKey, tx);
  },
  close: async () => undefined,
};

/**
 * `count` workers (default: one per core beyond this thread's, at least one), used round-robin;
 * started on the first recovery, so a service that never relays never loads them.
 */
export function startSignerRecovery(count = Math.max(1, os.availableParallelism() - 1)): SignerRecovery {
  const pending = new Map<number, { worker: Worker; resolve: (result: string) => void; reject: (err: Error) => void }>();
  let nextId = 0;
  let closed = false;
  let workers: Worker[] | undefined;
  const dead = new Set<Worker>();

  function start(): Worker[] {
    return Array.from({ length: count }, () => {
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ethers: require.resolve("ethers") } });
      worker.unref(); // an idle worker never keeps the process alive
      worker.on("message", ({ id, result, error }: { id: number; result?: string; error?: string }) => {
        const call = pending.get(id);
        pending.delete(id);
        if (error !== undefined) call?.reject(new Error(error));
        else call?.resolve(result!);
      });
      // a worker that dies fails what it held; later calls go to this thread
      const fail = (err: Error) => {
        dead.add(worker);
        for (const [id, call] of pending) if (call.worker === worker) (pending.delete(id), call.reject(err));
      };
      worker.on("error", fail);
      worker.on("exit", () => fail(new Error("signature recovery worker exited")));
      return worker;
    });
  }

  /** `message` to the next live worker, or undefined when there is none (closed, or it died). */
  function ask(message: Record<string, unknown>): Promise<string> | undefined {
    if (closed) return undefined;
    workers ??= start();
    const id = nextId++;
    const worker = workers[id % count];
    if (dead.has(worker)) return undefined;
    return new Promise<string>((resolve, reject) => {
      pending.set(id, { worker, resolve, reject });
      worker.postMessage({ id, ...message });
    });
  }

  return {
    recover(digest, signature) {
      return ask({ digest, signature }) ?? recoverHere.recover(digest, signature);
    },
    signTransaction(privateKey, tx) {
      return ask({ key: privateKey, tx }) ?? recoverHere.signTransaction(privateKey, tx);
    },
    async close() {
      closed = true;
      await Promise.all((workers ?? []).map((w) => w.terminate()));
      for (const call of pending.values()) call.reject(new Error("signature recovery stopped"));
      pending.clear();
    },
  };
}
