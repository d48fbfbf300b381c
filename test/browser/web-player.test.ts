import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { chromium, type Browser, type Page } from "playwright-core";
import type { Devnet } from "../../devnet";
import type { RunningServer } from "../../devnet/services/http";
import { buildWebPlayer } from "../../examples/web-player/build";
import { serveWebPlayer } from "../../examples/web-player/server";
import { makeAudio } from "../helpers/audio";
import { startTestDevnet } from "../helpers/devnet";

/** Debian's chromium (.ci/run installs it); playwright-core never downloads a browser. */
const CHROMIUM = process.env.ASIX_CHROMIUM ?? "/usr/bin/chromium";
const ARTIFACTS = path.join(__dirname, "..", "artifacts");

describe("examples/web-player in headless Chromium", function () {
  this.timeout(90_000);
  let devnet: Devnet;
  let page: Page;
  let browser: Browser | undefined;
  let server: RunningServer | undefined;
  let pageDir: string | undefined;
  /** every console error and uncaught page error: any one fails the test */
  const pageErrors: string[] = [];
  let reportPageError: (error: string) => void = () => undefined;
  /** settles with the first of pageErrors, so a wait ends at once instead of at its timeout */
  const firstPageError = new Promise<string>((resolve) => (reportPageError = resolve));

  before(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium), as .ci/run does`);
    pageDir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-web-player-"));
    const built = await buildWebPlayer(pageDir);
    devnet = await startTestDevnet({ contentNodes: 1 });
    server = await serveWebPlayer({ dir: built.dir, network: devnet });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--autoplay-policy=no-user-gesture-required"] });
    page = await browser.newPage();
    const onError = (error: string) => {
      pageErrors.push(error);
      reportPageError(error);
    };
    page.on("console", (message) => {
      if (message.type() === "error") onError(`console: ${message.text()}`);
    });
    page.on("pageerror", (error) => onError(`page: ${error.message}`));
  });

  after(async () => {
    if (page) {
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, "web-player.png"), fullPage: true }).catch(() => undefined);
    }
    await browser?.close();
    await server?.close();
    await devnet?.stop();
    if (pageDir) fs.rmSync(pageDir, { recursive: true, force: true });
  });

  afterEach(() => {
    expect(pageErrors, "console or page errors").to.deep.equal([]);
  });

  /** Wait until `condition` holds on the page, or fail at once with the error the page shows or throws. */
  async function waitOnPage(what: string, condition: string, timeout = 45_000): Promise<void> {
    const waited = page.waitForFunction(`document.getElementById("error").hidden === false || (${condition})`, undefined, { timeout, polling: 100 });
    await Promise.race([waited, firstPageError.then((error) => Promise.reject(new Error(`${error} (while waiting for ${what})`)))]);
    const error = await page.locator("#error").evaluate((el) => (el.hidden ? "" : el.textContent));
    expect(error, `the page showed an error while waiting for ${what}`).to.equal("");
  }

  it("serves the page from another origin than the services", async () => {
    const pageOrigin = new URL(server!.url).origin;
    for (const service of [devnet.services.discovery[0], devnet.services.identity, ...devnet.services.contentNodes]) {
      expect(new URL(service).origin).to.not.equal(pageOrigin);
    }
    await page.goto(server!.url);
    await waitOnPage("the network", `document.body.dataset.ready === "true"`);
    expect(await page.locator("#network").textContent()).to.include(devnet.services.discovery[0]);
  });

  it("signs up with an email wallet and creates the user", async () => {
    const handle = `web_${Date.now() % 1e8}`;
    await page.fill("#email", `${handle}@example.com`);
    await page.fill("#password", "correct horse battery");
    await page.fill("#handle", handle);
    await page.click("#signup");
    await waitOnPage("the sign-up", `!!document.getElementById("whoami").dataset.userId`);
    expect(await page.locator("#whoami").textContent()).to.include(`@${handle}`);
  });

  it("uploads a generated audio file with a progress bar that climbs to full, and lists the track", async () => {
    // A WAV of ~0.5 MB. On localhost it may go up in one piece, so the test asks only that the bar
    // climbs (never moves back) from empty to full, not how many steps the browser reported.
    const audio = await makeAudio({ seconds: 6, format: "wav" });
    // Every value the bar is given (its value attribute reflects them), so the test sees it move rather than jump to the end.
    // (page-side code is a string: the tests compile without the DOM's types)
    await page.evaluate(`{
      const bar = document.getElementById("upload-progress");
      const seen = (window.progressSeen = []);
      new MutationObserver((records) => {
        for (const record of records) seen.push(Number(record.oldValue ?? 0));
        seen.push(bar.value);
      }).observe(bar, { attributes: true, attributeFilter: ["value"], attributeOldValue: true });
    }`);
    await page.fill("#title", "Sine in the browser");
    await page.setInputFiles("#file", audio);
    await page.click("#upload-button");
    await waitOnPage("the upload", `!!document.getElementById("upload-status").dataset.trackId`);
    const trackId = await page.locator("#upload-status").getAttribute("data-track-id");
    const seen = await page.evaluate<number[]>(`window.progressSeen`);
    expect(seen.length, `the bar's values: ${seen}`).to.be.greaterThan(1);
    expect(seen[0], `the bar's values: ${seen}`).to.equal(0);
    expect(seen.every((v, i) => i === 0 || v >= seen[i - 1]), `the bar's values: ${seen}`).to.equal(true);
    expect(await page.evaluate(`document.getElementById("upload-progress").value`)).to.equal(1);
    const item = page.locator(`#tracks li[data-track-id="${trackId}"]`);
    await item.waitFor();
    expect(await item.textContent()).to.include("Sine in the browser");
  });

  it("plays the track in <audio> past its first second", async () => {
    await page.locator("#tracks li button.play").first().click();
    await waitOnPage("playback", `document.getElementById("audio").currentTime > 1`);
    const audio = await page.evaluate<{ src: string; error: number | null }>(`({
      src: document.getElementById("audio").currentSrc,
      error: document.getElementById("audio").error?.code ?? null,
    })`);
    expect(audio.error).to.equal(null);
    expect(new URL(audio.src).origin).to.equal(new URL(devnet.services.contentNodes[0]).origin);
  });
});
