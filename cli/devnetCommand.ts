import path from "node:path";
import { PlainCommand } from "./plainCommand";
import { devnetDirFlag } from "./devnetDirFlag";
import { controlRequest, findState } from "../devnet";

/** What the control API answers for a node action. */
export interface NodeActionResult {
  node: string;
  url: string;
  action: string;
  running: boolean;
}

/**
 * The `asix devnet …` commands that manage a devnet's processes and state dir (status, logs, node,
 * reset): `--devnet DIR`, and failures printed as every other command prints them.
 */
export abstract class DevnetCommand extends PlainCommand {
  static baseFlags = { devnet: devnetDirFlag };

  protected dirOf(flags: { devnet: string }): string {
    return path.resolve(flags.devnet);
  }

  /** devnet.json of the devnet running in `dir`, or NODE_UNAVAILABLE saying how to start one. */
  protected runningState(dir: string) {
    return findState(dir);
  }

  /** Ask the running devnet to stop, start, pause, slow or resume one node. */
  protected async nodeAction(flags: { devnet: string }, node: string, action: string, body?: unknown): Promise<NodeActionResult> {
    const state = this.runningState(this.dirOf(flags));
    return controlRequest<NodeActionResult>(state, "POST", `/nodes/${encodeURIComponent(node)}/${action}`, body ?? {});
  }
}
