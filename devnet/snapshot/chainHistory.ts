import type { EIP1193Provider } from "hardhat/types";
import { AsixError } from "../../sdk/errors";
import { catchUpWithWallClock, journalRewriter, replayJournal, type ReadJournal } from "../chainJournal";

/** A chain state a snapshot can go back to: Hardhat's in-memory evm_snapshot id, and the head it names. */
export interface ChainMark {
  /** the evm_snapshot id; it lives in this process's memory only */
  id: string;
  /** the head block's number and hash */
  blockNumber: number;
  hash: string;
}

/**
 * Going back in a chain's history, for devnet snapshots. Hardhat's evm_snapshot/evm_revert are
 * fast but live in memory and are consumed: reverting to a mark drops it and every later one. So a
 * mark is retaken after each revert, and a state whose mark is gone (taken by an earlier process,
 * or dropped by a revert to an earlier one) is rebuilt from the snapshot's copy of the journal:
 * back to genesis (kept as the first mark), then a replay.
 */
export interface ChainHistory {
  /** Mark the chain's current state. */
  mark(): Promise<ChainMark>;
  /** Block 0's hash: the chain's genesis (the same for every fresh devnet, whose genesis date is fixed). */
  genesis(): Promise<string>;
  /**
   * Go back to `mark` if it is still live, else rebuild from `journal`; a journaled chain's journal
   * is rewritten to match either way. Returns a fresh mark of the state.
   */
  rewind(mark: ChainMark | undefined, journal: ReadJournal | undefined): Promise<ChainMark>;
}

/**
 * `raw` is the EDR provider under the journal (evm_revert is refused above it), `journaled` the
 * journal wrapper (or undefined without persistence), `genesisMark` an evm_snapshot taken before
 * anything was mined or replayed.
 */
export function createChainHistory(raw: EIP1193Provider, journaled: EIP1193Provider | undefined, genesisMark: string): ChainHistory {
  const rewriteJournal = journaled ? journalRewriter(journaled) : undefined;
  const live = new Set<string>([genesisMark]);
  let genesis = genesisMark;

  const call = (method: string, params: unknown[] = []) => raw.request({ method, params });
  const snapshot = async () => {
    const id = (await call("evm_snapshot")) as string;
    live.add(id);
    return id;
  };
  const revert = async (id: string) => {
    const ok = (await call("evm_revert", [id])) as boolean;
    for (const m of [...live]) if (BigInt(m) >= BigInt(id)) live.delete(m);
    if (!ok) throw new AsixError("INTERNAL", `the chain refused to revert to its snapshot ${id}`);
  };
  const head = async () => {
    const block = (await call("eth_getBlockByNumber", ["latest", false])) as { number: string; hash: string };
    return { blockNumber: Number(block.number), hash: block.hash };
  };

  return {
    async genesis() {
      return ((await call("eth_getBlockByNumber", ["0x0", false])) as { hash: string }).hash;
    },
    async mark() {
      const at = await head();
      return { id: await snapshot(), ...at };
    },
    async rewind(mark, journal) {
      let result: ChainMark | undefined;
      const rewind = async () => {
        if (mark && live.has(mark.id)) {
          await revert(mark.id);
        } else {
          if (!journal) {
            throw new AsixError("CONFLICT", "this snapshot's chain state is gone: a devnet without persist keeps it in memory only, and restoring an earlier snapshot drops later ones; start the devnet with persist to keep snapshots");
          }
          await revert(genesis);
          genesis = await snapshot();
          await replayJournal(raw, journal.records);
          // as after a replay on start: the chain's clock stands at the journal's last block, which
          // may be days old (a snapshot of another process, the seed cache); new blocks are made now
          await catchUpWithWallClock(raw);
        }
        const at = await head();
        if (mark && at.hash !== mark.hash) {
          throw new AsixError("INTERNAL", `rewinding the chain gave head ${at.blockNumber} ${at.hash}, not the snapshot's ${mark.blockNumber} ${mark.hash}`);
        }
        result = { id: await snapshot(), ...at };
      };
      if (rewriteJournal && !journal) throw new AsixError("INVALID_INPUT", "this snapshot holds no chain journal, and this chain keeps one: it cannot be restored here");
      if (rewriteJournal && journal) await rewriteJournal(journal.header, journal.records, rewind);
      else await rewind();
      return result!;
    },
  };
}
