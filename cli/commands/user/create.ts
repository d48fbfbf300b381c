import { Flags } from "@oclif/core";
import { AsixCommand } from "../../base";

export default class UserCreate extends AsixCommand {
  static description = "Create the acting wallet's user";
  static examples = [
    "<%= config.bin %> user create --handle alice",
    { description: '--json prints {"userId": "Ab1Cd", "blockHash": "0x…", "blockNumber": 42, "transactionHash": "0x…", "handle": "bob", "wallet": "0x…"}', command: `<%= config.bin %> user create --handle bob --name 'Bob B' --json` },
  ];
  static flags = {
    handle: Flags.string({ description: "unique handle, [A-Za-z0-9_]{1,30}", required: true }),
    name: Flags.string({ description: "display name (default: the handle)" }),
    bio: Flags.string({ description: "up to 256 characters" }),
    location: Flags.string({ description: "where you are" }),
  };

  async run() {
    const { flags } = await this.parse(UserCreate);
    const asix = await this.sdk(flags);
    const result = await asix.users.create({ handle: flags.handle, name: flags.name, bio: flags.bio, location: flags.location });
    this.log(`Created @${flags.handle} (user ${result.userId}) in block ${result.blockNumber}`);
    return { ...result, handle: flags.handle, wallet: await asix.client.wallet!.getAddress() };
  }
}
