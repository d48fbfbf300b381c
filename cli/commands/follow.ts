import { Args } from "@oclif/core";
import { AsixCommand } from "../base";

export default class Follow extends AsixCommand {
  static description = "Follow a user by handle (or id)";
  static examples = ["<%= config.bin %> follow alice", "<%= config.bin %> follow @alice --json"];
  static args = {
    user: Args.string({ description: "handle (with or without @) or user id", required: true }),
  };

  async run() {
    const { args, flags } = await this.parse(Follow);
    const asix = await this.sdk(flags);
    const target = await resolveUser(asix, args.user);
    const result = await asix.users.follow(target.id);
    this.log(`Now following @${target.handle} (block ${result.blockNumber})`);
    return { ...result, followee: { id: target.id, handle: target.handle } };
  }
}

async function resolveUser(asix: Awaited<ReturnType<AsixCommand["sdk"]>>, ref: string) {
  if (ref.startsWith("@")) return asix.users.getByHandle(ref.slice(1));
  try {
    return await asix.users.getByHandle(ref);
  } catch (e) {
    // not a handle: maybe an id
    if (/^\d+$/.test(ref) || /^[A-Za-z0-9]{5,}$/.test(ref)) return asix.users.get(ref).catch(() => Promise.reject(e));
    throw e;
  }
}
