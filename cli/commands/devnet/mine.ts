import { Args, Flags } from "@oclif/core";
import { JsonRpcProvider } from "ethers";
import { AsixCommand } from "../../base";
import { AsixError } from "../../../sdk/errors";

export default class DevnetMine extends AsixCommand {
  static description = "Mine empty blocks on a devnet chain (walk past a lockup or a voting period)";
  static examples = [
    "<%= config.bin %> devnet mine 10",
    { description: '--json prints {"chain": "data", "mined": 100, "blockNumber": 250}', command: "<%= config.bin %> devnet mine 100 --chain data --json" },
  ];
  static args = { blocks: Args.integer({ description: "how many blocks", required: true, min: 1, max: 10_000_000 }) };
  static flags = { chain: Flags.string({ description: "which chain", options: ["eth", "data"], default: "eth" }) };

  async run() {
    const { args, flags } = await this.parse(DevnetMine);
    const network = this.network(flags);
    if (!network.devnet) throw new AsixError("INVALID_INPUT", `network "${network.name}" is not a devnet: only a devnet's chains mine on demand`);
    const state = network.devnet;
    const chain = flags.chain === "data" ? state.dataChain : state.ethChain;
    const provider = new JsonRpcProvider(chain.url, chain.chainId, { staticNetwork: true });
    try {
      await provider.send("hardhat_mine", [`0x${args.blocks.toString(16)}`]);
      const blockNumber = await provider.getBlockNumber();
      this.log(`Mined ${args.blocks} blocks on the ${flags.chain} chain; now at block ${blockNumber}`);
      return { chain: flags.chain, mined: args.blocks, blockNumber };
    } catch (cause) {
      throw new AsixError("NODE_UNAVAILABLE", `cannot mine on ${chain.url}: ${(cause as Error).message}`, { cause });
    } finally {
      provider.destroy();
    }
  }
}
