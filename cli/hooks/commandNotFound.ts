import type { Hook } from "@oclif/core";
import { closest } from "fastest-levenshtein";

/**
 * An unknown command is a usage error (exit 2) that names the closest command. On a terminal,
 * @oclif/plugin-not-found asks "Did you mean …?" and runs it; elsewhere (scripts, CI) there is no one
 * to ask, and that plugin would only print a warning and exit 127, so the suggestion goes into the message.
 */
const hook: Hook<"command_not_found"> = async function (opts) {
  if (process.stdin.isTTY && process.stderr.isTTY) {
    const { default: interactive } = await import("@oclif/plugin-not-found");
    try {
      return await interactive.call(this, opts);
    } catch (e) {
      this.error((e as Error).message, { exit: 2 });
    }
  }
  const visible = opts.config.commands.filter((c) => !c.hidden);
  const ids = [...visible.map((c) => c.id), ...visible.flatMap((c) => c.aliases)];
  // With spaces between topics, oclif joins the arguments into the id too ("uplod:song.mp3"): keep
  // the known topics and the first word that is not one, which is what was mistyped.
  const words = opts.id.split(":");
  const unknownAt = words.findIndex((_, i) => !opts.config.findTopic(words.slice(0, i + 1).join(":")));
  const id = words.slice(0, unknownAt === -1 ? words.length : unknownAt + 1).join(":");
  const sep = opts.config.topicSeparator;
  const suggestion = ids.length > 0 ? closest(id, ids).replaceAll(":", sep) : undefined;
  const typed = id.replaceAll(":", sep);
  const hint = suggestion ? ` Did you mean ${opts.config.bin} ${suggestion}?` : "";
  const message = `${typed} is not an ${opts.config.bin} command.${hint}\nRun ${opts.config.bin} help for a list of available commands.`;
  // printed as the commands print their failures (base.ts), then exit without oclif printing it again
  if (opts.argv?.includes("--json")) process.stdout.write(JSON.stringify({ error: { code: "USAGE", message } }, null, 2) + "\n");
  else process.stderr.write(`${opts.config.bin}: ${message}\n`);
  this.exit(2);
};

export default hook;
