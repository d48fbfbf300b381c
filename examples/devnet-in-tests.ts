// A whole devnet for a mocha suite: started in `before`, stopped in `after`, in a temp dir so that
// it never meets the devnet `asix devnet up` keeps. Copy `useDevnet` into your own tests.
// Try it: `npx tsx examples/devnet-in-tests.ts` (it runs the small suite below with mocha).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import assert from "node:assert/strict";
import Mocha from "mocha";
import { startDevnet, type Devnet, type StartDevnetOptions } from "../devnet";
import { createAsix } from "../sdk";

/**
 * Register `before`/`after` hooks in the current suite that start a devnet and stop it; the
 * returned function gives the running devnet inside tests.
 */
export function useDevnet(options: StartDevnetOptions = {}): () => Devnet {
  let devnet: Devnet | undefined;
  let dir: string | undefined;
  before(async function () {
    this.timeout(120_000); // two chains, every contract and the services
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-devnet-"));
    devnet = await startDevnet({ dir, logs: false, ...options });
  });
  after(async () => {
    await devnet?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    if (!devnet) throw new Error("the devnet starts in before(): use it inside a test or hook");
    return devnet;
  };
}

/** The example suite: a test that reads and writes against its own devnet. */
export function devnetSuite(): void {
  describe("my app against a devnet", function () {
    this.timeout(60_000);
    const devnet = useDevnet({ contentNodes: 1 });

    it("creates a user and reads it back", async () => {
      const asix = createAsix({ network: devnet(), wallet: devnet().accounts[10].privateKey });
      const { userId } = await asix.users.create({ handle: "test_artist" });
      assert.equal((await asix.users.get(userId)).handle, "test_artist");
    });
  });
}

if (require.main === module) {
  const mocha = new Mocha();
  mocha.suite.emit("pre-require", globalThis, "devnet-in-tests", mocha);
  devnetSuite();
  mocha.run((failures) => {
    process.exitCode = failures ? 1 : 0;
  });
}
