import { isAsixError } from "../sdk/errors";

/** What the CLI prints for a failure, and the exit code: 2 for usage errors (as oclif does), 1 for a failed action. */
export interface CliFailure {
  code: string;
  message: string;
  exit: 1 | 2;
}

/**
 * oclif marks its parse errors (missing argument, bad or unknown flag, value out of range) with
 * `oclif.exit === 2` (cli/package.json's `exitCodes` extends that to flag values that fail to parse);
 * our own failures are AsixErrors with a stable code. The message is kept whole: oclif's parse errors
 * name the argument or flag on their second line.
 */
export function describeFailure(err: Error & { oclif?: { exit?: number } }): CliFailure {
  if (isAsixError(err)) return { code: err.code, message: tidy(err.message), exit: 1 };
  if (err.oclif?.exit === 2) return { code: "USAGE", message: tidy(err.message), exit: 2 };
  return { code: "FAILED", message: tidy(err.message || String(err)), exit: 1 };
}

// Keeps every line; drops oclif's trailing spaces and tab indents, and colour codes when a message was coloured for a TTY.
function tidy(message: string): string {
  return message
    // eslint-disable-next-line no-control-regex
    .replace(/\x1b\[[0-9;]*m/g, "")
    .split("\n")
    .map((line) => line.replace(/^\t/, "  ").trimEnd())
    .join("\n")
    .trim();
}
