import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { JsonRpcProvider, parseEther } from "ethers";
import { createAsix } from "../../sdk";
import { createStakingApi } from "../../sdk/staking";
import { startDevnet, type Devnet } from "../../devnet";
import { ETH_SECONDS_PER_BLOCK, parseDuration } from "../../devnet/clock";
import { DEVNET_ETH_PARAMS, MAINNET_ETH_PARAMS } from "../../devnet/deployEth";
import { startTestDevnet } from "../helpers/devnet";
import { rejection } from "../helpers/errors";

describe("devnet clock: parseDuration", () => {
  it("reads 30s, 15m, 2h, 7d, 1w and plain seconds", () => {
    expect(["30s", "15m", "2h", "7d", "1w", "90", " 3d "].map(parseDuration)).to.deep.equal([30, 900, 7200, 604_800, 604_800, 90, 259_200]);
  });

  it("refuses what is not a positive whole duration, with INVALID_INPUT", () => {
    for (const bad of ["d", "7x", "1.5h", "-1d", "0s", "7 days", "1e3s", "99999999999999999w"]) {
      let code: string | undefined;
      try {
        parseDuration(bad);
      } catch (e) {
        code = (e as { code?: string }).code;
      }
      expect(code, bad).to.equal("INVALID_INPUT");
    }
    expect(() => parseDuration("")).to.throw(/is not a duration/);
  });
});

describe("devnet clock: time.advance", function () {
  this.timeout(120_000);
  let devnet: Devnet;
  let eth: JsonRpcProvider;
  let data: JsonRpcProvider;
  const head = async (p: JsonRpcProvider) => (await p.getBlock("latest"))!;

  before(async () => {
    devnet = await startTestDevnet({ contentNodes: 1, logs: false });
    eth = new JsonRpcProvider(devnet.ethChain.url, devnet.ethChain.chainId, { staticNetwork: true, cacheTimeout: -1 });
    data = new JsonRpcProvider(devnet.dataChain.url, devnet.dataChain.chainId, { staticNetwork: true, cacheTimeout: -1 });
  });

  after(async () => {
    eth?.destroy();
    data?.destroy();
    await devnet?.stop();
  });

  it("moves both chains to one later time, with eth blocks at 13 s each, and the indexer follows", async () => {
    const [ethBefore, dataBefore] = await Promise.all([head(eth), head(data)]);
    const moved = await devnet.time.advance(parseDuration("2h"));
    const [ethAfter, dataAfter] = await Promise.all([head(eth), head(data)]);
    expect(ethAfter.timestamp).to.equal(dataAfter.timestamp);
    expect(ethAfter.timestamp).to.equal(moved.timestamp);
    expect(moved.timestamp).to.be.at.least(Math.max(ethBefore.timestamp, dataBefore.timestamp) + 7200);
    expect(ethAfter.number - ethBefore.number).to.equal(Math.floor(7200 / ETH_SECONDS_PER_BLOCK));
    expect(moved.ethChain).to.deep.equal({ blockNumber: ethAfter.number, mined: ethAfter.number - ethBefore.number });
    expect(moved.dataChain).to.deep.equal({ blockNumber: dataAfter.number, mined: 1 });
    // the discovery node has indexed the new data-chain head by the time advance resolves
    const health = (await (await fetch(`${devnet.services.discovery[0]}/health_check`)).json()) as { data: { latest_indexed_block: number } };
    expect(health.data.latest_indexed_block).to.be.at.least(dataAfter.number);
    // later blocks go on from the new time, not back to the wall clock
    await eth.send("evm_mine", []);
    expect((await head(eth)).timestamp).to.be.at.least(moved.timestamp);
  });

  it("walks past a decrease-stake lockup, after which the decrease goes through", async () => {
    const treasury = createStakingApi(createAsix({ network: devnet, wallet: devnet.accounts[0].privateKey }).client);
    const operator = createStakingApi(createAsix({ network: devnet, wallet: devnet.accounts[16].privateKey }).client);
    await treasury.transfer(devnet.accounts[16].address, parseEther("300000"));
    await operator.register({ type: "content-node", endpoint: "http://clock-test-node.example:4000", stake: parseEther("250000") });
    const request = await operator.requestDecreaseStake(parseEther("40000"));
    expect(request.lockupExpiryBlock).to.equal(request.blockNumber + Number(DEVNET_ETH_PARAMS.decreaseStakeLockup));

    // a minute is 4 blocks: still locked
    await devnet.time.advance(parseDuration("1m"));
    expect((await rejection(operator.decreaseStake())).code).to.equal("CHAIN_REVERTED");

    // The devnet's lockups are 20 blocks (4 min 20 s at 13 s a block), and a request expires one
    // lockup after it unlocks: 5 more minutes land in between.
    await devnet.time.advance(parseDuration("5m"));
    expect(await eth.getBlockNumber()).to.be.greaterThan(request.lockupExpiryBlock);
    const before = await operator.balanceOf();
    const done = await operator.decreaseStake();
    expect(done.amount).to.equal(parseEther("40000"));
    expect(await operator.balanceOf()).to.equal(before + parseEther("40000"));
    expect(await operator.getPendingDecreaseStake()).to.equal(null);
  });

  it("makes 7d the protocol's 7-day lockup in blocks (46,523 on mainnet)", async () => {
    const before = await eth.getBlockNumber();
    const moved = await devnet.time.advance(parseDuration("7d"));
    expect(moved.ethChain.mined).to.equal(Number(MAINNET_ETH_PARAMS.decreaseStakeLockup));
    expect(await eth.getBlockNumber()).to.equal(before + Number(MAINNET_ETH_PARAMS.decreaseStakeLockup));
    expect((await head(data)).timestamp).to.equal(moved.timestamp);
  });

  it("advances when the eth chain's own clock has run on past its last block (an idle chain)", async () => {
    // An idle chain's next block is stamped with its clock, not its last block's time: a minute of
    // idling, made here with evm_increaseTime, must not put the 13 s blocks past the target.
    await eth.send("evm_increaseTime", [60]);
    const [ethBefore, dataBefore] = await Promise.all([head(eth), head(data)]);
    const moved = await devnet.time.advance(parseDuration("2h"));
    const [ethAfter, dataAfter] = await Promise.all([head(eth), head(data)]);
    expect(ethAfter.timestamp).to.equal(dataAfter.timestamp);
    expect(moved.timestamp).to.equal(ethAfter.timestamp);
    expect(moved.timestamp).to.be.at.least(Math.max(ethBefore.timestamp, dataBefore.timestamp) + 7200);
    expect(ethAfter.number - ethBefore.number).to.equal(Math.floor(7200 / ETH_SECONDS_PER_BLOCK));
  });

  it("refuses a non-positive or fractional advance with INVALID_INPUT", async () => {
    for (const bad of [0, -5, 1.5, Number.NaN]) expect((await rejection(devnet.time.advance(bad))).code, String(bad)).to.equal("INVALID_INPUT");
  });
});

describe("devnet clock on a persistent devnet", function () {
  this.timeout(120_000);

  it("keeps an advanced clock across a restart (the journal replays it block for block)", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-clock-"));
    let devnet = await startDevnet({ dir, contentNodes: 1, persist: true, logs: false });
    let heads: Array<{ number: number; hash: string | null; timestamp: number }>;
    const headsOf = async (d: Devnet) =>
      Promise.all(
        [d.ethChain, d.dataChain].map(async (c) => {
          const p = new JsonRpcProvider(c.url, c.chainId, { staticNetwork: true, cacheTimeout: -1 });
          try {
            const b = (await p.getBlock("latest"))!;
            return { number: b.number, hash: b.hash, timestamp: b.timestamp };
          } finally {
            p.destroy();
          }
        }),
      );
    try {
      await devnet.time.advance(parseDuration("3d"));
      heads = await headsOf(devnet);
    } finally {
      await devnet.stop();
    }
    devnet = await startDevnet({ dir, contentNodes: 1, persist: true, logs: false });
    try {
      expect(await headsOf(devnet)).to.deep.equal(heads);
    } finally {
      await devnet.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
