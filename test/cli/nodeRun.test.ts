import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import sharp from "sharp";
import type { Devnet } from "../../devnet";
import { fetchTrusting } from "../../devnet/services/node-runtime/tls";
import { createDevnetCa } from "../../devnet/services/node-runtime/tlsCa";
import { createAsix } from "../../sdk";
import { uploadFile } from "../../sdk/content/upload";
import { isAsixError } from "../../sdk/errors";
import { replicaSet } from "../../sdk/rendezvous";
import { startTestDevnet } from "../helpers/devnet";
import { asix, ASIX_BIN, type CliResult } from "../helpers/cli";
import { freshDatabaseUrl } from "../helpers/postgres";

const CONFIG_HOME = fs.mkdtempSync(path.join(os.tmpdir(), "asix-config-"));

/**
 * docs/running-a-node.md, followed step by step against a devnet serving HTTPS with its own CA:
 * a fourth content node and a second discovery node (on PostgreSQL) are funded, registered with
 * stake and started with `asix node run` as separate processes, and the network takes them in.
 */
describe("asix node run: an operator's node, as docs/running-a-node.md says", function () {
  this.timeout(180_000);
  let devnet: Devnet;
  let work: string;
  let caPem: string;
  let trusting: typeof fetch;
  const OPERATOR = 19;
  const password = "correct horse battery staple";
  let passwordFile: string;
  let nodeAddress: string;
  let port: number;
  let endpoint: string;
  let node: ChildProcess | undefined;
  let discovery: ChildProcess | undefined;
  let discoveryEndpoint: string;
  let discoveryErr = "";
  let nodeOut = "";
  let nodeErr = "";

  // one config dir for every step, as one operator's machine: the keystore and the network profile live there
  const run = (args: string[]) => asix(args, { env: { XDG_CONFIG_HOME: CONFIG_HOME } });
  const cli = (args: string[]) => run([...args, "--devnet", devnet.dir]);
  async function ok(args: string[]): Promise<any> {
    const res = await cli([...args, "--json"]);
    expect(res.code, `asix ${args.join(" ")}: ${res.stdout}${res.stderr}`).to.equal(0);
    return res.json;
  }

  /** Wait for `check` to hold, asking again as things change; fail with `what` after `ms`. */
  async function until<T>(what: string, check: () => Promise<T | undefined | false>, ms = 60_000): Promise<T> {
    const deadline = Date.now() + ms;
    let last: unknown;
    for (;;) {
      try {
        const v = await check();
        if (v) return v;
      } catch (e) {
        last = e;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
      await new Promise((r) => setImmediate(r));
      await new Promise((r) => setTimeout(r, 200)); // a poll interval between checks, not an assertion on time
    }
  }

  function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
      const s = net.createServer().listen(0, "127.0.0.1", () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
      s.on("error", reject);
    });
  }

  before(async () => {
    devnet = await startTestDevnet({ tls: true, contentNodes: 2, replicationFactor: 2, logs: false });
    work = fs.mkdtempSync(path.join(os.tmpdir(), "asix-node-run-"));
    passwordFile = path.join(work, "password");
    fs.writeFileSync(passwordFile, password + "\n", { mode: 0o600 });
    caPem = fs.readFileSync(devnet.caFile!, "utf8");
    trusting = fetchTrusting(caPem);
    port = await freePort();
    endpoint = `https://127.0.0.1:${port}`;
  });

  after(async () => {
    if (node && node.exitCode === null) node.kill("SIGKILL");
    if (discovery && discovery.exitCode === null) discovery.kill("SIGKILL");
    await devnet?.stop();
  });

  it("serves the devnet over HTTPS with a CA recorded in devnet.json", async () => {
    expect(devnet.services.discovery[0]).to.match(/^https:\/\//);
    expect(devnet.services.contentNodes.every((u) => u.startsWith("https://"))).to.equal(true);
    const res = await trusting(`${devnet.services.discovery[0]}/health_check`);
    expect(res.status).to.equal(200);
  });

  it("steps 1-3: funds the operator, creates the node's keystore and registers it with stake", async () => {
    const operator = devnet.accounts[OPERATOR].address;
    const [account] = await Promise.all([ok(["account", "create", "cn4", "--password", password]), ok(["token", "transfer", operator, "250000", "--account", "0"])]);
    nodeAddress = account.address;
    const registered = await ok(["node", "register", "content-node", endpoint, "--stake", "200000", "--delegate-wallet", nodeAddress, "--account", String(OPERATOR)]);
    expect(registered).to.include({ type: "content-node", endpoint });
  });

  it("step 4: starts it with asix node run as its own process over HTTPS, and the network lists it", async () => {
    node = spawn(
      process.execPath,
      [
        ASIX_BIN, "node", "run", "content-node", "--devnet", devnet.dir,
        "--keystore", "cn4", "--password-file", passwordFile,
        "--endpoint", endpoint, "--port", String(port), "--data-dir", path.join(work, "cn4"),
        "--tls-cert", path.join(devnet.dir, "tls", "node.pem"), "--tls-key", path.join(devnet.dir, "tls", "node-key.pem"),
      ],
      { env: { ...process.env, XDG_CONFIG_HOME: CONFIG_HOME, ASIX_PASSWORD: "", NODE_OPTIONS: "" }, stdio: ["ignore", "pipe", "pipe"] },
    );
    node.stdout!.on("data", (c) => (nodeOut += c));
    node.stderr!.on("data", (c) => (nodeErr += c));
    await until("the node to say it serves", async () => nodeErr.includes(`serving ${endpoint}`) || (node!.exitCode !== null && Promise.reject(new Error(nodeErr))));
    // step 5 of the guide: its health
    const health = (await (await trusting(`${endpoint}/health_check`)).json()) as { data: { healthy: boolean } };
    expect(health.data.healthy).to.equal(true);
    await until("the discovery node to list the new node", async () => {
      const h = (await (await trusting(`${devnet.services.discovery[0]}/health_check`)).json()) as { data: { network: { content_nodes: { endpoint: string }[] } } };
      return h.data.network.content_nodes.some((n) => n.endpoint === endpoint);
    });
  });

  it("receives the replicas rendezvous hashing places on it", async () => {
    const client = createAsix({ network: devnet, wallet: devnet.accounts[12].privateKey }).client;
    const everyNode = [...devnet.services.contentNodes, endpoint];
    let mine: string[] = [];
    for (let i = 0; mine.length === 0 && i < 6; i++) {
      const image = await sharp({ create: { width: 160, height: 160, channels: 3, background: { r: 40 * i, g: 200 - 30 * i, b: 17 * i } } }).png().toBuffer();
      const upload = await uploadFile(client, { file: image, filename: `cover-${i}.png`, template: "img_square", contentNode: devnet.services.contentNodes[0] });
      const cids = [upload.origFileCid, ...Object.values(upload.results)];
      mine = cids.filter((cid) => replicaSet(everyNode, cid, 2).includes(endpoint));
    }
    expect(mine, "no blob of six uploads ranks the new node in its replica set").to.not.be.empty;
    for (const cid of mine) {
      await until(`the new node to hold ${cid}`, async () => (await trusting(`${endpoint}/ipfs/${cid}`, { method: "HEAD", redirect: "manual" })).status === 200);
    }
  });

  it("counts requests in /metrics (Prometheus text) and echoes a request id that its JSON log carries", async () => {
    const res = await trusting(`${endpoint}/health_check`, { headers: { "x-request-id": "op-guide-42" } });
    expect(res.headers.get("x-request-id")).to.equal("op-guide-42");
    const generated = (await trusting(`${endpoint}/health_check`)).headers.get("x-request-id");
    expect(generated).to.match(/^[0-9a-f-]{36}$/);
    const text = await (await trusting(`${endpoint}/metrics`)).text();
    const samples = text.split("\n").filter((l) => l && !l.startsWith("#"));
    for (const line of samples) expect(line).to.match(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? -?[0-9.e+-]+|NaN|[+-]Inf$/);
    const healthCount = samples.find((l) => l.startsWith("asix_http_requests_total{") && l.includes('route="/health_check"') && l.includes('status="200"'));
    expect(healthCount, text).to.not.equal(undefined);
    expect(Number(healthCount!.split(" ").pop())).to.be.at.least(2);
    expect(samples.some((l) => /^asix_content_blobs\{service="content-node"\} [1-9]/.test(l)), text).to.equal(true);
    const logged = await until("the request's log line", async () =>
      nodeOut.split("\n").filter(Boolean).map((l) => JSON.parse(l)).find((e) => e.msg === "request" && e.reqId === "op-guide-42"));
    expect(logged).to.include({ service: "content-node", route: "/health_check", status: 200 });
  });

  it("gives a client that does not trust the CA a clear TLS error, in the SDK and the CLI", async () => {
    const stranger = createDevnetCa(path.join(work, "other-ca"));
    const untrusting = createAsix({ network: devnet, fetch: fetchTrusting(fs.readFileSync(stranger.caFile, "utf8")) });
    const err = await untrusting.users.getByHandle("nobody").then(() => undefined, (e: unknown) => e);
    expect(isAsixError(err, "TLS_UNTRUSTED"), String(err)).to.equal(true);
    // the CLI, on a copy of devnet.json without the CA
    const copy = path.join(work, "no-ca");
    fs.mkdirSync(copy);
    const state = JSON.parse(fs.readFileSync(path.join(devnet.dir, "devnet.json"), "utf8"));
    delete state.caFile;
    fs.writeFileSync(path.join(copy, "devnet.json"), JSON.stringify({ ...state, dir: copy }));
    const res: CliResult = await asix(["user", "search", "anyone", "--devnet", copy]);
    expect(res.code).to.equal(1);
    expect(res.stderr.trim().split("\n")).to.have.length(1);
    expect(res.stderr).to.match(/^asix: .*TLS certificate this client does not trust \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)/);
  });

  it("refuses to start an unregistered or unconfigured node, and to register http:// off the devnet, each with a one-line fix", async () => {
    const other = `https://127.0.0.1:${await freePort()}`;
    const base = ["node", "run", "content-node", "--keystore", "cn4", "--password-file", passwordFile, "--data-dir", path.join(work, "unregistered")];
    const registerOnProd = async () => {
      const added = await cli(["network", "add", "prod", "--discovery-url", "https://dn.example.com", "--entity-manager", devnet.dataChain.contracts.entityManager,
        "--data-chain-id", String(devnet.dataChain.chainId), "--eth-rpc", devnet.ethChain.url, "--registry", devnet.ethChain.contracts.registry]);
      expect(added.code, added.stderr).to.equal(0);
      return run(["node", "register", "content-node", "http://cn.example.com", "--stake", "200000", "--network", "prod", "--private-key", devnet.accounts[OPERATOR].privateKey]);
    };
    const [unregistered, missing, http] = await Promise.all([run([...base, "--endpoint", other, "--devnet", devnet.dir]), run([...base, "--devnet", devnet.dir]), registerOnProd()]);
    expect(unregistered.code).to.equal(1);
    expect(unregistered.stderr.trim().split("\n")).to.have.length(1);
    expect(unregistered.stderr).to.contain(`${other} is not registered as a content-node: run \`asix node register content-node ${other} --stake <AUDIO> --delegate-wallet ${nodeAddress}\``);
    expect(missing.code).to.equal(1);
    expect(missing.stderr.trim()).to.equal('asix: missing setting --endpoint (or ASIX_NODE_ENDPOINT, or "endpoint" in the config file)');
    expect(http.code).to.equal(1);
    expect(http.stderr.trim()).to.match(/^asix: a node on network "prod" must be registered with an https:\/\/ endpoint, not http:\/\/cn\.example\.com/);
  });

  it("a second discovery node: registered with stake, run on PostgreSQL over HTTPS, listed, and answering as the first", async () => {
    const databaseUrl = await freshDatabaseUrl();
    const dnPort = await freePort();
    discoveryEndpoint = `https://127.0.0.1:${dnPort}`;
    const operator = devnet.accounts[OPERATOR].address;
    const [account] = await Promise.all([ok(["account", "create", "dn2", "--password", password]), ok(["token", "transfer", operator, "250000", "--account", "0"])]);
    await ok(["node", "register", "discovery-node", discoveryEndpoint, "--stake", "200000", "--delegate-wallet", account.address, "--account", String(OPERATOR)]);
    // something for both nodes to index and answer about
    const created = await ok(["user", "create", "--handle", "opguide", "--name", "Op Guide", "--account", "12"]);
    discovery = spawn(
      process.execPath,
      [
        ASIX_BIN, "node", "run", "discovery-node", "--devnet", devnet.dir,
        "--keystore", "dn2", "--password-file", passwordFile,
        "--endpoint", discoveryEndpoint, "--port", String(dnPort), "--data-dir", path.join(work, "dn2"),
        "--database-url", databaseUrl,
        "--tls-cert", path.join(devnet.dir, "tls", "node.pem"), "--tls-key", path.join(devnet.dir, "tls", "node-key.pem"),
      ],
      { env: { ...process.env, XDG_CONFIG_HOME: CONFIG_HOME, ASIX_PASSWORD: "", NODE_OPTIONS: "" }, stdio: ["ignore", "ignore", "pipe"] },
    );
    discovery.stderr!.on("data", (c) => (discoveryErr += c));
    await until("the discovery node to say it serves", async () => discoveryErr.includes(`serving ${discoveryEndpoint}`) || (discovery!.exitCode !== null && Promise.reject(new Error(discoveryErr))));
    // it indexes into PostgreSQL, not a SQLite file in its data dir
    expect(fs.existsSync(path.join(work, "dn2", "discovery.sqlite"))).to.equal(false);
    await until("the network to list the new discovery node", async () => {
      const h = (await (await trusting(`${devnet.services.discovery[0]}/health_check`)).json()) as { data: { network: { discovery_nodes_with_owner: { endpoint: string }[] } } };
      return h.data.network.discovery_nodes_with_owner.some((n) => n.endpoint === discoveryEndpoint);
    });
    const reads = [
      `/v1/users/${created.userId}`, "/v1/users/handle/opguide", "/v1/users/search?query=op%20gui", "/v1/users/search?query=guide",
      "/v1/tracks/recent", "/v1/tracks/trending", `/v1/users/${created.userId}/tracks`,
    ];
    const answer = async (base: string, p: string) => {
      const res = await trusting(base + p);
      return { status: res.status, body: (await res.json()) as { data: any } };
    };
    await until("the new node's reads to match the first node's", async () => {
      for (const p of reads) {
        const [first, second] = await Promise.all([answer(devnet.services.discovery[0], p), answer(discoveryEndpoint, p)]);
        if (first.status !== 200 || JSON.stringify(first) !== JSON.stringify(second)) return false;
      }
      return true;
    });
    const found = await answer(discoveryEndpoint, "/v1/users/search?query=op%20gui");
    expect(found.body.data.map((u: { handle: string }) => u.handle)).to.deep.equal(["opguide"]);
    const exited = new Promise<number | null>((resolve) => discovery!.once("exit", (code) => resolve(code)));
    discovery.kill("SIGTERM");
    expect(await exited, discoveryErr).to.equal(0);
  });

  it("refuses an unreachable --database-url in one line", async () => {
    const res = await run(["node", "run", "discovery-node", "--devnet", devnet.dir, "--keystore", "dn2", "--password-file", passwordFile,
      "--endpoint", discoveryEndpoint, "--data-dir", path.join(work, "dn2"), "--database-url", `postgres://asix:pw@127.0.0.1:${await freePort()}/none`]);
    expect(res.code).to.equal(1);
    expect(res.stderr.trim().split("\n")).to.have.length(1);
    expect(res.stderr).to.match(/^asix: cannot open the index in PostgreSQL at postgres:\/\/asix:\*\*\*@127\.0\.0\.1:\d+\/none: .*ECONNREFUSED/);
  });

  it("step 6: SIGTERM drains and stops the node: exit 0, its port closed", async () => {
    const exited = new Promise<number | null>((resolve) => node!.once("exit", (code) => resolve(code)));
    node!.kill("SIGTERM");
    expect(await exited).to.equal(0);
    const refused = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, "127.0.0.1");
      s.once("connect", () => (s.destroy(), resolve(false)));
      s.once("error", () => resolve(true));
    });
    expect(refused).to.equal(true);
    expect(nodeOut).to.contain('"msg":"stopped"');
  });
});

