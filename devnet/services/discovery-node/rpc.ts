import { AsixError } from "../../../sdk/errors";

/** A minimal JSON-RPC client over fetch, with batches (the indexer's hot path needs nothing more). */
export class JsonRpc {
  private id = 0;
  constructor(readonly url: string, private readonly timeoutMs = 30_000) {}

  async call<T>(method: string, params: unknown[]): Promise<T> {
    const [result] = await this.batch<T>([{ method, params }]);
    return result;
  }

  /** Several calls in one HTTP request; results in the same order. */
  async batch<T>(calls: Array<{ method: string; params: unknown[] }>): Promise<T[]> {
    if (calls.length === 0) return [];
    const body = calls.map((c) => ({ jsonrpc: "2.0", id: ++this.id, method: c.method, params: c.params }));
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (cause) {
      throw new AsixError("NODE_UNAVAILABLE", `data chain RPC ${this.url} unreachable`, { cause });
    }
    if (!response.ok) throw new AsixError("NODE_UNAVAILABLE", `data chain RPC answered HTTP ${response.status}`);
    const answers = (await response.json()) as Array<{ id: number; result?: T; error?: { message: string } }>;
    if (!Array.isArray(answers)) throw new AsixError("NODE_UNAVAILABLE", "data chain RPC did not answer a batch");
    const byId = new Map(answers.map((a) => [a.id, a]));
    return body.map((b) => {
      const a = byId.get(b.id);
      if (!a || a.error) throw new AsixError("NODE_UNAVAILABLE", `${b.method} failed: ${a?.error?.message ?? "no answer"}`);
      return a.result as T;
    });
  }
}

export interface RpcLog {
  address: string;
  topics: string[];
  data: string;
  blockNumber: string;
  blockHash: string;
  transactionHash: string;
  logIndex: string;
}

export interface RpcBlock {
  number: string;
  hash: string;
  timestamp: string;
}
