import os from "node:os";
import { Worker } from "node:worker_threads";
import { recoverAddress, Signature } from "ethers";

/**
 * ECDSA public-key recovery off the main thread. Recovering each relayed action's signer (pure JS
 * secp256k1) was the largest single cost of a relay on the thread that also runs the HTTP server,
 * and on the devnet the chains and the other services too; a worker lets a second core do it.
 * The code runs from a string so the built package needs no separate worker file.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { recoverAddress, Signature } = require(workerData.ethers);
parentPort.on("message", ({ id, digest, signature }) => {
  try {
    parentPort.postMessage({ id, address: recoverAddress(digest, Signature.from(signature)) });
  } catch (e) {
    parentPort.postMessage({ id, error: String((e && e.message) || e) });
  }
});
`;

export interface SignerRecovery {
  /** The address that signed `digest`; throws when the signature recovers to none. */
  recover(digest: string, signature: string): Promise<string>;
  close(): Promise<void>;
}

/** Recovery on this thread (no worker): for tools and tests that relay a handful of actions. */
export const recoverHere: SignerRecovery = {
  recover: async (digest, signature) => recoverAddress(digest, Signature.from(signature)),
  close: async () => undefined,
};

/**
 * `count` workers (default: one per core beyond this thread's, at least one), used round-robin;
 * started on the first recovery, so a service that never relays never loads them.
 */
export function startSignerRecovery(count = Math.max(1, os.availableParallelism() - 1)): SignerRecovery {
  const pending = new Map<number, { worker: Worker; resolve: (address: string) => void; reject: (err: Error) => void }>();
  let nextId = 0;
  let closed = false;
  let workers: Worker[] | undefined;
  const dead = new Set<Worker>();

  function start(): Worker[] {
    return Array.from({ length: count }, () => {
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ethers: require.resolve("ethers") } });
      worker.unref(); // an idle worker never keeps the process alive
      worker.on("message", ({ id, address, error }: { id: number; address?: string; error?: string }) => {
        const call = pending.get(id);
        pending.delete(id);
        if (error !== undefined) call?.reject(new Error(error));
        else call?.resolve(address!);
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

  return {
    recover(digest, signature) {
      if (closed) return recoverHere.recover(digest, signature);
      workers ??= start();
      const id = nextId++;
      const worker = workers[id % count];
      if (dead.has(worker)) return recoverHere.recover(digest, signature);
      return new Promise<string>((resolve, reject) => {
        pending.set(id, { worker, resolve, reject });
        worker.postMessage({ id, digest, signature });
      });
    },
    async close() {
      closed = true;
      await Promise.all((workers ?? []).map((w) => w.terminate()));
      for (const call of pending.values()) call.reject(new Error("signature recovery stopped"));
      pending.clear();
    },
  };
}
