import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type http from "node:http";
import express from "express";
import { AsixError } from "../../sdk/errors";
import type { DevnetDescriptor } from "../../sdk";
import { errorHandler, listen, notFoundRoute, type Logger, type RunningServer } from "../services/http";
import { PAGE_DIR, buildExplorer } from "./build";
import { networkStatus } from "./status";
import { relayInspector } from "./relay";

/**
 * The devnet explorer: a page at `/explorer/` on its own port (recorded in devnet.json as
 * `services.explorer`), with two JSON routes the page polls:
 *  - GET /explorer/api/network: both chains' heights, every registered node's stake, health and lag;
 *  - GET /explorer/api/relay?limit=: the relay inspector's rows.
 * The catalog and the player use the SDK in the page, against the devnet's services directly.
 */
export interface StartExplorerOptions {
  /** the devnet's public descriptor (no accounts: the page must never see a private key) */
  network: DevnetDescriptor;
  /** default 0: a free port */
  port?: number;
  log?: Logger;
}

export async function startExplorer(options: StartExplorerOptions): Promise<RunningServer> {
  const network: DevnetDescriptor = { dataChain: options.network.dataChain, ethChain: options.network.ethChain, services: options.network.services };
  const assets = explorerAssets(options.log);
  const status = networkStatus(network);
  const inspect = relayInspector(network);
  const app = express();
  app.disable("x-powered-by");
  app.get("/", (_req, res) => res.redirect("/explorer/"));
  app.get("/explorer/network.json", (_req, res) => {
    res.json(network);
  });
  app.get("/explorer/api/network", async (_req, res) => {
    res.json({ data: await status() });
  });
  app.get("/explorer/api/relay", async (req, res) => {
    const limit = req.query.limit === undefined ? 100 : Number(req.query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new AsixError("INVALID_INPUT", "limit must be an integer from 1 to 500");
    try {
      res.json({ data: await inspect(limit) });
    } catch (cause) {
      throw new AsixError("NODE_UNAVAILABLE", `the relay log is unavailable: ${(cause as Error).message}`, { cause });
    }
  });
  app.use("/explorer", async (req, res, next) => {
    const dir = await assets();
    express.static(dir, { index: "index.html" })(req, res, next);
  });
  app.use(notFoundRoute);
  app.use(errorHandler(options.log));
  const server = await listen(app as unknown as http.RequestListener, options.port ?? 0);
  return {
    ...server,
    async close() {
      await server.close();
      assets.dispose();
    },
  };
}

/**
 * Where the page's built files are. Published, they sit beside this module (dist/explorer). Run
 * from source, they are built once per process on the first request, so `up` never waits for them.
 */
function explorerAssets(log: Logger = () => undefined): (() => Promise<string>) & { dispose(): void } {
  const prebuilt = path.join(__dirname, "explorer");
  if (!fs.existsSync(path.join(PAGE_DIR, "main.ts"))) return Object.assign(async () => prebuilt, { dispose: () => undefined });
  let dir: string | undefined;
  let built: Promise<string> | undefined;
  const get = () => {
    dir ??= fs.mkdtempSync(path.join(os.tmpdir(), "asix-explorer-"));
    built ??= buildExplorer(dir).catch((e) => {
      log("explorer build failed", { error: String(e) });
      built = undefined;
      throw e;
    });
    return built;
  };
  return Object.assign(get, { dispose: () => dir && fs.rmSync(dir, { recursive: true, force: true }) });
}
