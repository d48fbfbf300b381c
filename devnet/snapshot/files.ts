import fs from "node:fs";
import path from "node:path";
import { AsixError } from "../../sdk/errors";

/**
 * Snapshot names become directory names under `<dir>/snapshots`, and travel in control URLs: a
 * short, plain name, never a path.
 */
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function checkSnapshotName(name: unknown): string {
  if (typeof name !== "string" || !NAME.test(name) || name.includes("..")) {
    throw new AsixError("INVALID_INPUT", `snapshot name ${JSON.stringify(name)} is not valid: use 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit`);
  }
  return name;
}

export const snapshotsDir = (dir: string) => path.join(dir, "snapshots");
export const snapshotDir = (dir: string, name: string) => path.join(snapshotsDir(dir), checkSnapshotName(name));

/**
 * Copy a tree. Blobs (files under a `blobs` directory) are content-addressed and never written in
 * place (the store renames complete files in), so they are hard-linked: a snapshot of gigabytes of
 * audio costs directory entries. Everything else (SQLite files, journals) is copied, as its owner
 * rewrites it in place.
 */
export function cloneTree(from: string, to: string): void {
  if (!fs.existsSync(from)) return;
  fs.mkdirSync(to, { recursive: true });
  walk(from, to, false);
}

function walk(from: string, to: string, inBlobs: boolean): void {
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    if (entry.isDirectory()) {
      // in-flight uploads are not part of any snapshot
      if (entry.name === "tmp") continue;
      fs.mkdirSync(dst, { recursive: true });
      walk(src, dst, inBlobs || entry.name === "blobs");
    } else if (entry.isFile()) {
      if (inBlobs) fs.linkSync(src, dst);
      else fs.copyFileSync(src, dst, fs.constants.COPYFILE_FICLONE);
    }
  }
}

/** Replace `target` by a clone of `source` (or by nothing when `source` does not exist). */
export function replaceTree(source: string, target: string): void {
  fs.rmSync(target, { recursive: true, force: true });
  cloneTree(source, target);
}
