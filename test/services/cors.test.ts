import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { Wallet } from "ethers";
import { devnetPrivateKey, DEVNET_ROLES } from "../../devnet/accounts";
import { corsOriginsFromEnv, type CorsOrigins } from "../../devnet/services/cors";
import { startContentNode } from "../../devnet/services/content-node";
import { startDiscoveryNode } from "../../devnet/services/discovery-node";
import { isAsixError } from "../../sdk/errors";
import { startDataChain, type DataChainFixture } from "../helpers/dataChain";
import { makeAudio } from "../helpers/audio";
import { postUpload } from "./content-node/fixture";
import { startIdentityFixture, type IdentityFixture } from "./identity-service/fixture";

/** One raw HTTP exchange: Node's fetch would refuse to set Origin the way a browser does. */
function request(url: string, method: string, headers: Record<string, string>): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

const PAGE = "http://localhost:5173";
const OTHER = "https://evil.example";

interface Services {
  content: string;
  discovery: string;
  identity: string;
  close(): Promise<void>;
}

/** The three services, each configured with `origins` (undefined: the default). */
async function startServices(chain: DataChainFixture, origins: CorsOrigins | undefined): Promise<Services> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-cors-"));
  const peers: string[] = [];
  const content = await startContentNode({
    dir: path.join(dir, "content"),
    privateKey: Wallet.createRandom().privateKey,
    peers: () => peers,
    discoverySigners: () => [],
    corsOrigins: origins,
  });
  peers.push(content.url);
  const discovery = await startDiscoveryNode({
    dir: path.join(dir, "discovery"),
    privateKey: devnetPrivateKey(DEVNET_ROLES.discoveryNode),
    dataChain: { rpcUrl: chain.chain.url, chainId: 1056801, entityManagerAddress: chain.entityManagerAddress, startBlock: chain.deployBlock },
    identityUrl: "http://127.0.0.1:9",
    contentNodes: () => [],
    corsOrigins: origins,
  });
  const identity: IdentityFixture = await startIdentityFixture({ corsOrigins: origins }, chain);
  return {
    content: content.url,
    discovery: discovery.url,
    identity: identity.service.url,
    async close() {
      await identity.close();
      await discovery.stop();
      await content.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A write route of each service, what a page preflights before an upload, a relay or a wallet lookup. */
const WRITE_ROUTES = { content: "/uploads", discovery: "/v1/relay", identity: "/relay" } as const;

describe("CORS on the services", function () {
  this.timeout(60_000);
  let chain: DataChainFixture;
  before(async () => {
    chain = await startDataChain();
  });
  after(async () => {
    await chain?.close();
  });

  describe("by default (as on the devnet): any origin", () => {
    let services: Services;
    before(async () => {
      services = await startServices(chain, undefined);
    });
    after(async () => {
      await services?.close();
    });

    for (const service of ["content", "discovery", "identity"] as const) {
      it(`answers a preflight on the ${service} service before any route runs`, async () => {
        const res = await request(services[service] + WRITE_ROUTES[service], "OPTIONS", {
          origin: PAGE,
          "access-control-request-method": "POST",
          "access-control-request-headers": "content-type,x-user-wallet-addr",
        });
        expect(res.status).to.equal(204);
        expect(res.headers["access-control-allow-origin"]).to.equal("*");
        expect(res.headers["access-control-allow-methods"]).to.include("POST");
        expect(res.headers["access-control-allow-headers"]).to.equal("content-type,x-user-wallet-addr");
        expect(Number(res.headers["access-control-max-age"])).to.be.greaterThan(0);
        expect(res.body).to.equal("");
      });

      it(`lets a page on another origin read the ${service} service's answer and its range headers`, async () => {
        const res = await request(services[service] + "/health_check", "GET", { origin: PAGE });
        expect(res.status).to.equal(200);
        expect(res.headers["access-control-allow-origin"]).to.equal("*");
        const exposed = String(res.headers["access-control-expose-headers"]).toLowerCase().split(",");
        expect(exposed).to.include.members(["content-range", "content-length", "accept-ranges", "etag"]);
      });
    }

    it("sends CORS headers on an error answer too, so a page can read the JSON error", async () => {
      const res = await request(services.content + "/content/not-a-cid", "GET", { origin: PAGE });
      expect(res.status).to.be.within(400, 499);
      expect(res.headers["access-control-allow-origin"]).to.equal("*");
      expect(JSON.parse(res.body).error.code).to.be.a("string");
    });

    it("lets a page read a ranged blob with the headers it needs to resume", async () => {
      const audio = fs.readFileSync(await makeAudio({ seconds: 1, format: "mp3" }));
      const uploaded = await postUpload(services.content, Wallet.createRandom(), "audio", audio, "a.mp3");
      expect(uploaded.status, JSON.stringify(uploaded.body)).to.equal(200);
      const res = await request(`${services.content}/content/${uploaded.body[0].orig_file_cid}`, "GET", { origin: PAGE, range: "bytes=10-19" });
      expect(res.status).to.equal(206);
      expect(res.headers["access-control-allow-origin"]).to.equal("*");
      expect(res.headers["content-range"]).to.equal(`bytes 10-19/${audio.length}`);
      const exposed = String(res.headers["access-control-expose-headers"]).toLowerCase().split(",");
      for (const header of ["content-range", "content-length", "accept-ranges", "etag"]) {
        expect(exposed).to.include(header);
        if (header !== "etag") expect(res.headers[header], header).to.not.equal(undefined);
      }
    });

    it("sends CORS headers on the discovery node's cached answers as on its first", async () => {
      const first = await request(services.discovery + "/v1/tracks/trending", "GET", { origin: PAGE });
      const second = await request(services.discovery + "/v1/tracks/trending", "GET", { origin: PAGE });
      expect(first.status).to.equal(200);
      expect(second.body).to.equal(first.body);
      for (const res of [first, second]) {
        expect(res.headers["access-control-allow-origin"]).to.equal("*");
        expect(String(res.headers["access-control-expose-headers"])).to.include("Content-Range");
      }
    });
  });

  describe("with allowed origins configured", () => {
    let services: Services;
    before(async () => {
      services = await startServices(chain, [PAGE]);
    });
    after(async () => {
      await services?.close();
    });

    for (const service of ["content", "discovery", "identity"] as const) {
      it(`allows the configured origin on the ${service} service`, async () => {
        const preflight = await request(services[service] + WRITE_ROUTES[service], "OPTIONS", { origin: PAGE, "access-control-request-method": "POST" });
        expect(preflight.status).to.equal(204);
        expect(preflight.headers["access-control-allow-origin"]).to.equal(PAGE);
        expect(preflight.headers.vary).to.match(/origin/i);
        const res = await request(services[service] + "/health_check", "GET", { origin: PAGE });
        expect(res.headers["access-control-allow-origin"]).to.equal(PAGE);
      });

      it(`gives a disallowed origin no CORS grant on the ${service} service`, async () => {
        const preflight = await request(services[service] + WRITE_ROUTES[service], "OPTIONS", { origin: OTHER, "access-control-request-method": "POST" });
        expect(preflight.headers["access-control-allow-origin"]).to.equal(undefined);
        const res = await request(services[service] + "/health_check", "GET", { origin: OTHER });
        expect(res.status).to.equal(200);
        expect(res.headers["access-control-allow-origin"]).to.equal(undefined);
        expect(res.headers.vary).to.match(/origin/i);
      });
    }

    it("gives a disallowed origin no grant on the discovery node's cached answers either", async () => {
      await request(services.discovery + "/v1/tracks/trending", "GET", { origin: PAGE });
      const cached = await request(services.discovery + "/v1/tracks/trending", "GET", { origin: OTHER });
      expect(cached.status).to.equal(200);
      expect(cached.headers["access-control-allow-origin"]).to.equal(undefined);
    });
  });

  describe("configuration", () => {
    it("reads ASIX_CORS_ORIGINS as * or a comma-separated list", () => {
      expect(corsOriginsFromEnv(undefined)).to.equal(undefined);
      expect(corsOriginsFromEnv(" * ")).to.equal("*");
      expect(corsOriginsFromEnv("https://a.example, http://localhost:5173")).to.deep.equal(["https://a.example", "http://localhost:5173"]);
    });

    it("refuses an origin that a browser would never send, such as one with a path", async () => {
      for (const bad of ["https://a.example/", "https://a.example/app", "a.example", "ftp://a.example"]) {
        expect(() => corsOriginsFromEnv(bad), bad).to.throw().that.satisfies((e: unknown) => isAsixError(e, "INVALID_INPUT"));
      }
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "asix-cors-"));
      try {
        const started = startContentNode({ dir, privateKey: Wallet.createRandom().privateKey, peers: () => [], discoverySigners: () => [], corsOrigins: ["https://a.example/"] });
        const error = await started.then(() => undefined, (e: unknown) => e);
        expect(isAsixError(error, "INVALID_INPUT"), String(error)).to.equal(true);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
