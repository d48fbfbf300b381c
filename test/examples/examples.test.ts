import { expect } from "chai";
import { parseEther } from "ethers";
import { findState } from "../../devnet/state";
import { useDevnet } from "../../examples/devnet-in-tests";
import { uploadAndStream } from "../../examples/upload-and-stream";
import { followAndFeed } from "../../examples/follow-and-feed";
import { playlistBuilder } from "../../examples/playlist-builder";
import { emailWallet } from "../../examples/email-wallet";
import { stakeAndDelegate } from "../../examples/stake-and-delegate";
import { governance } from "../../examples/governance";
import { makeAudio } from "../helpers/audio";

// Every example against one devnet, started by the devnet-in-tests example's own hooks.
describe("examples/ (each workflow's program, against one devnet)", function () {
  this.timeout(120_000);
  const devnet = useDevnet({ contentNodes: 1 });
  let audio: string;
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);
  const state = () => findState(devnet().dir);

  before(async () => {
    audio = await makeAudio({ seconds: 2, format: "wav" });
  });
  beforeEach(() => {
    lines.length = 0;
  });

  it("upload-and-stream reports each phase's progress and streams the whole rendition", async () => {
    const result = await uploadAndStream(audio, state(), log);
    const phases = new Set(result.phases.map((p) => p.phase));
    expect([...phases]).to.include.members(["upload", "transcode", "write"]);
    expect(result.phases.at(-1)).to.deep.include({ phase: "write", progress: 1 });
    expect(result.received).to.be.greaterThan(0);
    expect(result.received).to.equal(result.contentLength);
    expect(result.contentType).to.equal("audio/mpeg");
    expect(lines.at(-1)).to.contain(`streamed ${result.received} bytes`);
  });

  it("follow-and-feed lists the followed artists' tracks, newest first", async () => {
    const result = await followAndFeed(audio, state(), log);
    expect(result.following).to.have.length(2);
    expect(result.feed.map((t) => t.title)).to.have.members(["basalt: first light", "aurora: first light"]);
    // newest first; two uploads can share a block second, so ties may come in either order
    const times = result.feed.map((t) => Date.parse(t.createdAt));
    expect(times).to.deep.equal([...times].sort((a, b) => b - a));
  });

  it("playlist-builder inserts a track, reorders the playlist and makes an album", async () => {
    const result = await playlistBuilder(audio, state(), log);
    expect(result.order).to.deep.equal(["Closing", "Middle", "Opening"]);
    expect(result.isAlbum).to.equal(true);
    expect(result.albumTracks).to.equal(3);
  });

  it("email-wallet logs back into the signed-up wallet and writes with no gas", async () => {
    const result = await emailWallet(state(), log);
    expect(result.loggedInAs).to.equal(result.walletAddress);
    expect(result.gas).to.equal(0n);
    expect(result.bio).to.equal("written by a wallet that never held gas");
  });

  it("stake-and-delegate registers a node, delegates gaslessly and claims a round's reward", async () => {
    const result = await stakeAndDelegate(state(), log);
    expect(result.sp.endpoints.map((e) => e.endpoint)).to.include(result.endpoint);
    expect(result.delegatedAmount).to.equal(parseEther("500"));
    expect(result.claim.rewards > 0n).to.equal(true);
    expect(result.claim.delegatorsReward > 0n).to.equal(true);
    const delegation = result.delegations.find((d) => d.delegator === result.delegator);
    expect(delegation?.amount).to.equal(parseEther("500") + result.claim.delegatorsReward);
  });

  it("governance passes a proposal that changes the round funding", async () => {
    const result = await governance(state(), log);
    expect(result.outcome).to.equal("ApprovedExecuted");
    expect(result.votes).to.be.greaterThan(1);
    expect(result.after).to.equal(result.before + parseEther("1000"));
  });
});
