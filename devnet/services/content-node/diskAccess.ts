import fs from "node:fs";

/**
 * Opening and reading blob files without letting one bad file stall the process. Every content
 * node of a devnet shares one libuv thread pool (four threads), so a blocking open or read (a FIFO
 * in a blob's place, a hung disk) would stall every node's file I/O, image uploads included.
 *
 * - A blob is opened with O_NONBLOCK (a FIFO open returns at once instead of waiting for a writer)
 *   and O_NOFOLLOW, then fstat'ed: anything but a regular file of the recorded size is refused
 *   before a byte is read.
 * - Each read has a deadline. A read that outlives it is counted as stuck until it returns, and
 *   while any is stuck this node starts no new blob reads (it redirects instead), so a hung disk
 *   holds at most a few pool threads, not all of them.
 */

export type BlobFault = "missing" | "not-a-file" | "wrong-size" | "corrupt" | "unreadable" | "stuck";

/** Why a blob cannot be served from this node. `quarantine` says whether the copy is damaged. */
export class BlobUnavailable extends Error {
  constructor(
    readonly fault: BlobFault,
    message: string,
  ) {
    super(message);
    this.name = "BlobUnavailable";
  }

  /** A damaged copy (as opposed to a slow disk): take it out of service. */
  get damaged(): boolean {
    return this.fault !== "stuck";
  }
}

const OPEN_FLAGS = fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOFOLLOW;

export interface OpenedFile {
  handle: fs.promises.FileHandle;
  size: number;
  /** changes whenever the file is replaced or written: inode, size, mtime and ctime in ns */
  stamp: string;
}

/** Open blob files kept for the next read of the same blob. */
const KEPT_HANDLES = 128;

const stampOf = (st: fs.BigIntStats) => `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;

interface Kept {
  file: OpenedFile;
  /** reads using it now */
  users: number;
  /** no longer kept: closed when its last user is done */
  dropped: boolean;
  /** tells us of any change to the file (written, truncated, chmod'ed, unlinked, renamed); absent if it could not be watched */
  watcher?: fs.FSWatcher;
}

/**
 * Files stay open between reads (`open` … `close`), so a read of a blob read recently costs no
 * system call at all: each kept file is watched (inotify), and any change to it (a write, a
 * truncation, a chmod or touch, an unlink or a rename over its path) drops it, so the next read
 * goes through a fresh open and its checks. The watch is set before the file's stamp is taken, so
 * no change falls between the two. A file that cannot be watched (out of inotify watches) is
 * checked as before: one lstat per read, whose stamp must equal the open file's.
 *
 * What a watch adds over that lstat: the change is known one event-loop turn after it is made,
 * instead of at the next read's lstat. Neither closes the window in which a write lands between
 * the check and the read; the hourly scrub is what catches damage a check misses.
 */
export function createDiskAccess(readTimeoutMs: number) {
  let stuck = 0;
  const kept = new Map<string, Kept>();
  const users = new WeakMap<OpenedFile, Kept>();
  const changedEarly = new WeakSet<fs.FSWatcher>();

  function drop(path: string): void {
    const k = kept.get(path);
    if (!k) return;
    kept.delete(path);
    k.dropped = true;
    k.watcher?.close();
    if (k.users === 0) void k.file.handle.close().catch(() => undefined);
  }

  function keep(path: string, file: OpenedFile, watcher: fs.FSWatcher | undefined): void {
    drop(path);
    if (kept.size >= KEPT_HANDLES) drop(kept.keys().next().value!);
    const k: Kept = { file, users: 1, dropped: false, watcher };
    kept.set(path, k);
    users.set(file, k);
    // Any event at all: whatever it was, the next read opens afresh.
    watcher?.on("change", () => kept.get(path) === k && drop(path));
    watcher?.on("error", () => kept.get(path) === k && drop(path));
  }

  /** Done with a file `open` gave: it stays open for the next read unless it was replaced meanwhile. */
  async function close(file: OpenedFile): Promise<void> {
    const k = users.get(file);
    if (!k) return void (await file.handle.close().catch(() => undefined));
    k.users--;
    if (k.dropped && k.users === 0) await file.handle.close().catch(() => undefined);
  }

  /** Close every kept file (the node is stopping). */
  async function closeAll(): Promise<void> {
    for (const path of [...kept.keys()]) drop(path);
  }

  /**
   * A kept, watched file of `expectedSize` bytes with no change seen since it was opened, taken
   * for a read without any system call (release it with `close`); undefined when there is none.
   */
  function takeWatched(path: string, expectedSize: number): OpenedFile | undefined {
    const k = kept.get(path);
    if (!k?.watcher || stuck > 0 || k.file.size !== expectedSize) return undefined;
    k.users++;
    return k.file;
  }

  /** Run one file operation with a deadline; a late one stays counted as stuck until it settles. */
  function withDeadline<T>(op: Promise<T>, what: string, disposeLate?: (value: T) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let late = false;
      const timer = setTimeout(() => {
        late = true;
        stuck++;
        reject(new BlobUnavailable("stuck", `${what} took longer than ${readTimeoutMs} ms`));
      }, readTimeoutMs);
      op.then(
        (value) => {
          clearTimeout(timer);
          if (!late) return resolve(value);
          stuck--;
          disposeLate?.(value);
        },
        (err) => {
          clearTimeout(timer);
          if (late) stuck--;
          else reject(err);
        },
      );
    });
  }

  /** Open a blob file that must be a regular file of `expectedSize` bytes. */
  async function open(file: string, expectedSize: number): Promise<OpenedFile> {
    if (stuck > 0) throw new BlobUnavailable("stuck", `${stuck} disk read(s) of this node are stuck`);
    const watched = takeWatched(file, expectedSize);
    if (watched) return watched;
    const k = kept.get(file);
    if (k) {
      const st = await withDeadline(fs.promises.lstat(file, { bigint: true }), "lstat").catch((err) => {
        drop(file);
        if (err instanceof BlobUnavailable) throw err;
        if ((err as NodeJS.ErrnoException).code === "ENOENT") throw new BlobUnavailable("missing", "the blob file is missing");
        return undefined; // anything else: the full open below says what is wrong
      });
      if (st && kept.get(file) === k && stampOf(st) === k.file.stamp && st.size === BigInt(expectedSize)) {
        k.users++;
        return k.file;
      }
      drop(file);
    }
    const { opened, watcher } = await openChecked(file, expectedSize);
    if (watcher && changedEarly.has(watcher)) watcher.close();
    keep(file, opened, watcher && !changedEarly.has(watcher) ? watcher : undefined);
    return opened;
  }

  /** Watch `file` for changes; undefined if it cannot be, or if the path no longer names the file `handle` holds. */
  async function watch(file: string, handle: fs.promises.FileHandle): Promise<fs.FSWatcher | undefined> {
    let watcher: fs.FSWatcher;
    try {
      watcher = fs.watch(file, { persistent: false });
    } catch {
      return undefined; // e.g. no inotify watches left: the lstat check stands in
    }
    watcher.on("error", () => undefined);
    // Until `keep` listens, a change is remembered here: such a file is kept unwatched (lstat-checked).
    watcher.once("change", () => changedEarly.add(watcher));
    try {
      // The watch is on whatever the path named when it was set: it must be the file we hold.
      const [held, named] = await Promise.all([withDeadline(handle.stat({ bigint: true }), "fstat"), withDeadline(fs.promises.lstat(file, { bigint: true }), "lstat")]);
      if (held.ino === named.ino && held.dev === named.dev) return watcher;
    } catch {
      // the checks of openChecked say what is wrong
    }
    watcher.close();
    return undefined;
  }

  async function openChecked(file: string, expectedSize: number): Promise<{ opened: OpenedFile; watcher?: fs.FSWatcher }> {
    let handle: fs.promises.FileHandle;
    try {
      handle = await withDeadline(fs.promises.open(file, OPEN_FLAGS), "open", (late) => void late.close().catch(() => undefined));
    } catch (err) {
      if (err instanceof BlobUnavailable) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "ENOENT") throw new BlobUnavailable("missing", "the blob file is missing");
      if (code === "ELOOP") throw new BlobUnavailable("not-a-file", "the blob path is a symbolic link");
      throw new BlobUnavailable("unreadable", `the blob file cannot be opened (${code})`);
    }
    let watcher: fs.FSWatcher | undefined;
    try {
      // Watched before the stamp is taken, so a change between the two is not missed.
      watcher = await watch(file, handle);
      const st = await withDeadline(handle.stat({ bigint: true }), "fstat");
      if (!st.isFile()) throw new BlobUnavailable("not-a-file", "the blob path is not a regular file");
      if (st.size !== BigInt(expectedSize)) throw new BlobUnavailable("wrong-size", `the blob file has ${st.size} bytes, not ${expectedSize}`);
      return { opened: { handle, size: expectedSize, stamp: stampOf(st) }, watcher };
    } catch (err) {
      watcher?.close();
      await handle.close().catch(() => undefined);
      throw err;
    }
  }

  /** Read exactly `length` bytes at `position` (into `into` when given); a short read means the file shrank. */
  async function read(file: OpenedFile, length: number, position: number, into?: Buffer): Promise<Buffer> {
    const buffer = into && into.length >= length ? into.subarray(0, length) : Buffer.allocUnsafe(length);
    let filled = 0;
    while (filled < length) {
      const { bytesRead } = await withDeadline(file.handle.read(buffer, filled, length - filled, position + filled), "read").catch((err) => {
        if (err instanceof BlobUnavailable) throw err;
        throw new BlobUnavailable("unreadable", `reading the blob failed (${(err as NodeJS.ErrnoException).code ?? err})`);
      });
      if (bytesRead === 0) throw new BlobUnavailable("wrong-size", "the blob file ended early");
      filled += bytesRead;
    }
    return buffer;
  }

  return { open, read, close, closeAll, stuckReads: () => stuck };
}

export type DiskAccess = ReturnType<typeof createDiskAccess>;
