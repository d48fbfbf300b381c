/**
 * A data chain (EntityManager deployed) in its own process, as a discovery node meets a real RPC
 * node: the chain's JSON-RPC work runs on another core instead of sharing the caller's event loop.
 * Run as a script it starts the chain and prints one JSON line with its URL; startDataChainProcess
 * spawns it and returns a fixture shaped like startDataChain's.
 */
import { spawn } from "node:child_process";
import readline from "node:readline";
import { JsonRpcProvider, Wallet } from "ethers";
import { devnetPrivateKey } from "../../devnet/accounts";
import { DATA_CHAIN_ID, startDataChain, type DataChainFixture } from "./dataChain";

export type RemoteDataChain = Pick<DataChainFixture, "provider" | "entityManagerAddress" | "deployBlock" | "wallet" | "close"> & {
  chain: { url: string };
};

export async function startDataChainProcess(): Promise<RemoteDataChain> {
  const child = spawn(process.execPath, ["--import", "tsx", __filename], { stdio: ["ignore", "pipe", "inherit"] });
  const lines = readline.createInterface({ input: child.stdout! });
  const ready = await new Promise<{ url: string; entityManagerAddress: string; deployBlock: number }>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the data chain process exited with ${code} before it was ready`)));
    lines.once("line", (line) => resolve(JSON.parse(line)));
  });
  const provider = new JsonRpcProvider(ready.url, DATA_CHAIN_ID, { staticNetwork: true, cacheTimeout: -1 });
  provider.pollingInterval = 50;
  return {
    chain: { url: ready.url },
    provider,
    entityManagerAddress: ready.entityManagerAddress,
    deployBlock: ready.deployBlock,
    wallet: (i: number) => new Wallet(devnetPrivateKey(i), provider),
    async close() {
      provider.destroy();
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

if (require.main === module) {
  startDataChain().then(
    (fx) => {
      console.log(JSON.stringify({ url: fx.chain.url, entityManagerAddress: fx.entityManagerAddress, deployBlock: fx.deployBlock }));
      process.on("SIGTERM", () => fx.close().then(() => process.exit(0)));
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
