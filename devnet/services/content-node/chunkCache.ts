/**
 * Checked 256 KiB chunks of recently read blobs, kept in memory up to a byte budget (least
 * recently used out first), so a hot track's ranges are sent without a disk read: each read is a
 * trip through libuv's thread pool that costs the main thread about as much as sending the bytes,
 * and one connection's request waits for it before its first byte (issue 15).
 *
 * A chunk enters only once it is checked against its leaf digest under the file's current stamp,
 * and a blob's chunks leave when that stamp changes or the copy is quarantined (integrity.ts), so
 * the cache never serves what the file on disk would not, and damage is found as before.
 */
export class ChunkCache {
  /** `cid index` → chunk, least recently used first */
  private readonly chunks = new Map<string, Buffer>();
  private held = 0;

  constructor(private readonly budgetBytes: number) {}

  get(cid: string, index: number): Buffer | undefined {
    const key = `${cid} ${index}`;
    const chunk = this.chunks.get(key);
    if (chunk) {
      this.chunks.delete(key);
      this.chunks.set(key, chunk);
    }
    return chunk;
  }

  /** The chunk if it is held, without counting it as used (the LRU order is unchanged). */
  peek(cid: string, index: number): Buffer | undefined {
    return this.chunks.get(`${cid} ${index}`);
  }

  put(cid: string, index: number, chunk: Buffer): void {
    if (chunk.length > this.budgetBytes) return;
    const key = `${cid} ${index}`;
    this.remove(key);
    this.chunks.set(key, chunk);
    this.held += chunk.length;
    while (this.held > this.budgetBytes) this.remove(this.chunks.keys().next().value!);
  }

  /** Drop every chunk of blob `cid` (it has `count` chunks). */
  forget(cid: string, count: number): void {
    for (let i = 0; i < count && this.held > 0; i++) this.remove(`${cid} ${i}`);
  }

  get bytes(): number {
    return this.held;
  }

  get enabled(): boolean {
    return this.budgetBytes > 0;
  }

  private remove(key: string): void {
    const chunk = this.chunks.get(key);
    if (!chunk) return;
    this.chunks.delete(key);
    this.held -= chunk.length;
  }
}
