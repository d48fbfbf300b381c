import type http from "node:http";
import express from "express";
import type { DevnetDescriptor, NetworkConfig } from "../../sdk/network";
import { listen, type RunningServer } from "../../devnet/services/http";
import { NETWORK_FILE } from "./files";

export interface ServeWebPlayerParameters {
  /** the built page (buildWebPlayer's dir) */
  dir: string;
  /** served as devnet.json beside the page */
  network: NetworkConfig | DevnetDescriptor;
  /** default 0 (a free port) */
  port?: number;
}

/**
 * Serve the built page on its own port, so its origin differs from every service's and each call
 * the page makes is a real cross-origin request. The URL uses `localhost`, a secure context, which
 * WebCrypto needs; the services are reached as 127.0.0.1.
 */
export async function serveWebPlayer(params: ServeWebPlayerParameters): Promise<RunningServer> {
  const app = express();
  app.disable("x-powered-by");
  // Only the public descriptor: a devnet's state also holds its funded accounts' private keys.
  const network = "services" in params.network ? { dataChain: params.network.dataChain, ethChain: params.network.ethChain, services: params.network.services } : params.network;
  app.get(`/${NETWORK_FILE}`, (_req, res) => {
    res.json(network);
  });
  app.use(express.static(params.dir, { index: "index.html" }));
  const server = await listen(app as unknown as http.RequestListener, params.port ?? 0);
  return { ...server, url: server.url.replace("127.0.0.1", "localhost") };
}
