import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startDevnet } from "../../devnet";
import { networkFile, prepareStateDir } from "../../devnet/persistence";
import { isAsixError } from "../../sdk/errors";

/** The devnet's discovery node count: checked before anything starts, and kept across persisted restarts. */
describe("devnet discovery node count", () => {
  const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "asix-dn-"));

  it("refuses a count outside 1..3 before starting anything", async () => {
    for (const discoveryNodes of [0, 4, 1.5]) {
      const error = await startDevnet({ dir: tmp(), discoveryNodes }).catch((e: unknown) => e);
      expect(isAsixError(error, "INVALID_INPUT"), `${discoveryNodes}: ${String(error)}`).to.equal(true);
    }
  });

  it("refuses to resume a saved network with another discovery node count, and keeps its data", () => {
    const dir = tmp();
    const node = (port: number, spId: number) => ({ endpoint: `http://127.0.0.1:${port}`, spId, delegateOwnerWallet: `0x${"1".repeat(40)}` });
    const saved = {
      version: 2,
      ports: { ethChain: 1, dataChain: 2, identity: 3, discovery: 4, discoveryNodes: [4, 5], oauthProvider: 6, contentNodes: [7] },
      contentNodes: [node(7, 1)],
      discoveryNodes: [node(4, 1), node(5, 2)],
    };
    fs.mkdirSync(path.join(dir, "data", "discovery-node-2"), { recursive: true });
    fs.writeFileSync(networkFile(dir), JSON.stringify(saved));
    expect(() => prepareStateDir(dir, { persist: true, contentNodes: 1, discoveryNodes: 1 })).to.throw(/has 2 discovery nodes; use --reset/);
    expect(fs.existsSync(path.join(dir, "data", "discovery-node-2"))).to.equal(true);
    expect(prepareStateDir(dir, { persist: true, contentNodes: 1, discoveryNodes: 2 }).saved?.ports.discoveryNodes).to.deep.equal([4, 5]);
  });
});
