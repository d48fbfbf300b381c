import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { chromium, type Browser, type Page } from "playwright-core";
import type { Devnet } from "../../devnet";
import { seedDevnet, type SeedResult } from "../../devnet/seed";
import { createAsix, encodeHashId } from "../../sdk";
import { startTestDevnet } from "../helpers/devnet";

/** Debian's chromium (.ci/run installs it); playwright-core never downloads a browser. */
const CHROMIUM = process.env.ASIX_CHROMIUM ?? "/usr/bin/chromium";
const ARTIFACTS = path.join(__dirname, "..", "artifacts");

describe("the devnet explorer in headless Chromium", function () {
  this.timeout(180_000);
  let devnet: Devnet;
  let seeded: SeedResult;
  let browser: Browser | undefined;
  let page: Page;
  let rejectedTx = "";
  const pageErrors: string[] = [];

  before(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium), as .ci/run does`);
    devnet = await startTestDevnet({ contentNodes: 1, logs: false });
    // A small catalog keeps the test fast; the explorer shows any size the same way.
    seeded = await seedDevnet(devnet, { seed: 3, counts: { artists: 3, tracks: 4, playlists: 1, albums: 1, seconds: [3, 5] }, cache: false });
    // An action the relay pays for (the signer owns its user) but the indexer rejects: a follow of nobody.
    const artist = createAsix({ network: devnet, wallet: devnet.accounts[10].privateKey });
    await artist.users.create({ handle: "explorer_tester" });
    const err = await artist.users.follow(encodeHashId(2_999_999)).catch((e) => e);
    expect(err.code, String(err)).to.equal("NOT_FOUND");
    rejectedTx = err.details?.transactionHash ?? "";
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--autoplay-policy=no-user-gesture-required"] });
    page = await browser.newPage();
    page.on("console", (message) => {
      if (message.type() === "error") pageErrors.push(`console: ${message.text()}`);
    });
    page.on("pageerror", (error) => pageErrors.push(`page: ${error.message}`));
  });

  after(async () => {
    if (page) {
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, "explorer.png"), fullPage: true }).catch(() => undefined);
    }
    await browser?.close();
    await devnet?.stop();
  });

  afterEach(async function () {
    if (page && this.currentTest) {
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      const name = this.currentTest.title.replace(/[^a-z0-9]+/gi, "-").slice(0, 60);
      await page.screenshot({ path: path.join(ARTIFACTS, `explorer-${name}.png`), fullPage: true }).catch(() => undefined);
    }
    expect(pageErrors, "console or page errors").to.deep.equal([]);
  });

  /** Wait until `condition` holds on the page; fail with the page's error box if it shows one. */
  async function waitOnPage(what: string, condition: string, timeout = 60_000): Promise<void> {
    await page.waitForFunction(`document.getElementById("error").hidden === false || (${condition})`, undefined, { timeout, polling: 100 });
    const error = await page.locator("#error").evaluate((el) => (el.hidden ? "" : el.textContent));
    expect(error, `the page showed an error while waiting for ${what}`).to.equal("");
  }

  it("is served by the devnet at the URL devnet.json records", async () => {
    expect(devnet.services.explorer).to.match(/^http:\/\/127\.0\.0\.1:\d+\/explorer\/$/);
    const state = JSON.parse(fs.readFileSync(path.join(devnet.dir, "devnet.json"), "utf8"));
    expect(state.services.explorer).to.equal(devnet.services.explorer);
    await page.goto(devnet.services.explorer!);
    await waitOnPage("the first render", `document.body.dataset.ready === "true"`);
  });

  it("lists the seeded tracks and playlists", async () => {
    const listed = await page.locator("#recent-tracks li .title").allTextContents();
    expect([...listed].sort()).to.deep.equal(seeded.tracks.map((t) => t.title).sort());
    const playlists = await page.locator("#recent-playlists li").allTextContents();
    for (const p of seeded.playlists) expect(playlists.some((text) => text.includes(p.name)), p.name).to.equal(true);
  });

  it("finds a seeded track by search", async () => {
    const target = seeded.tracks[2];
    await page.fill("#search-input", target.title);
    await page.click("#search-button");
    await waitOnPage("the search results", `document.querySelectorAll("#search-tracks li").length > 0`);
    expect(await page.locator(`#search-tracks li[data-track-id="${target.trackId}"] .title`).textContent()).to.equal(target.title);
  });

  it("opens an artist's page with their tracks", async () => {
    const artist = seeded.artists[0];
    await page.locator(`#recent-tracks a`, { hasText: `@${artist.handle}` }).first().click();
    await waitOnPage("the user page", `document.getElementById("user").dataset.userId === ${JSON.stringify(artist.userId)}`);
    expect(await page.locator("#user-title").textContent()).to.contain(`@${artist.handle}`);
    const own = seeded.tracks.filter((t) => t.artist === artist.handle).map((t) => t.title).sort();
    expect((await page.locator("#user-tracks li .title").allTextContents()).sort()).to.deep.equal(own);
  });

  it("plays a track streamed through the network: currentTime advances", async () => {
    const track = seeded.tracks[0];
    await page.locator(`#recent-tracks li[data-track-id="${track.trackId}"] button.play`).click();
    await waitOnPage("playback", `document.getElementById("audio").currentTime > 0.5`);
    const src = await page.locator("#audio").evaluate((el) => (el as unknown as { currentSrc: string }).currentSrc);
    expect(new URL(src).origin).to.equal(new URL(devnet.services.contentNodes[0]).origin);
    expect(await page.locator("#now-playing").getAttribute("data-track-id")).to.equal(track.trackId);
  });

  it("shows every node with its stake and health, and both chains' heights", async () => {
    await waitOnPage("the operator's row", `!!document.querySelector('#nodes tr[data-endpoint="${seeded.staking.endpoint}"]')`);
    const operator = page.locator(`#nodes tr[data-endpoint="${seeded.staking.endpoint}"]`);
    expect(await operator.getAttribute("data-health")).to.equal("unreachable");
    expect(await operator.textContent()).to.contain("200,000 AUDIO");
    const content = page.locator(`#nodes tr[data-endpoint="${devnet.services.contentNodes[0]}"]`);
    expect(await content.getAttribute("data-health")).to.equal("healthy");
    const discovery = page.locator(`#nodes tr[data-endpoint="${devnet.services.discovery[0]}"]`);
    expect(await discovery.textContent()).to.match(/\d+ blocks behind/);
    const heights = await page.locator("#chains").evaluate((el) => ({ ...(el as unknown as { dataset: Record<string, string> }).dataset }));
    expect(Number(heights.ethHeight)).to.be.greaterThan(0);
    expect(Number(heights.dataHeight)).to.be.greaterThan(0);
  });

  it("inspects relayed actions: decoded, with gas paid, and the indexer's reason for a rejected one", async () => {
    await waitOnPage("the rejected follow", `!!document.querySelector('#relay tr[data-outcome="rejected"]')`);
    const rejected = page.locator(`#relay tr[data-outcome="rejected"]`).first();
    if (rejectedTx) expect(await rejected.getAttribute("data-tx")).to.equal(rejectedTx);
    expect(await rejected.getAttribute("data-action")).to.equal("Follow User");
    const cells = await rejected.locator("td").allTextContents();
    expect(cells[3]).to.equal("2999999");
    expect(cells[5]).to.match(/gas ×/);
    expect(cells[7]).to.equal("not_found: user 2999999 does not exist");
    expect(await page.locator(`#relay tr[data-outcome="applied"][data-action="Create Track"]`).count()).to.equal(seeded.tracks.length);
  });
});
