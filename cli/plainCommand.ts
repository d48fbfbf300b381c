import { Command } from "@oclif/core";
import { describeFailure } from "./errors";

/**
 * A command that needs no SDK client (the devnet's process commands, `node run`): `--json`, and a
 * failure printed as every other command prints it, one line (or a JSON error) and its exit code.
 */
export abstract class PlainCommand extends Command {
  static enableJsonFlag = true;

  async catch(err: Error & { oclif?: { exit?: number } }): Promise<void> {
    if (err.oclif?.exit === 0) throw err;
    const { code, message, exit } = describeFailure(err);
    if (this.jsonEnabled()) this.logJson({ error: { code, message } });
    else process.stderr.write(`asix: ${message}\n`);
    process.exitCode = exit;
  }
}
