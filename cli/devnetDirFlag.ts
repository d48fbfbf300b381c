import { Flags } from "@oclif/core";

/**
 * `--devnet DIR` for the commands that start and stop a devnet: the same flag name (and env var) as
 * every other command; `--dir`, its old name, still works and warns.
 */
export const devnetDirFlag = Flags.string({
  description: "devnet state dir (devnet.json, logs, node data)",
  default: ".asix/devnet",
  env: "ASIX_DEVNET_DIR",
  aliases: ["dir"],
  deprecateAliases: true,
});
