import { expect } from "chai";
import type { Devnet } from "../../devnet";
import { findState } from "../../devnet/state";
import { quickstart } from "../../examples/quickstart";
import { startTestDevnet } from "../helpers/devnet";
import { makeAudio } from "../helpers/audio";

describe("examples/quickstart (the README's SDK example)", () => {
  let devnet: Devnet;
  before(async () => {
    devnet = await startTestDevnet({ contentNodes: 1 });
  });
  after(async () => {
    await devnet?.stop();
  });

  it("runs against a devnet found through devnet.json", async () => {
    const audio = await makeAudio({ seconds: 2, format: "wav" });
    const result = await quickstart(audio, findState(devnet.dir));
    expect(result.track.title).to.equal("Hello, Asix+");
    expect(result.contentLength).to.equal(1024);
  });
});
