import { expect } from "chai";
import { CONTENT_NODE_CASES } from "./contentNode.cases";
import { DISCOVERY_CASES } from "./discovery.cases";
import { IDENTITY_CASES } from "./identity.cases";
import { PROTOCOL_CASES } from "./protocol.cases";
import { snapshot, type Persisted } from "./persisted";
import { runTable } from "./table";
import { send } from "./wire";
import { replicationSettled, unhandledErrorLines, useWorld, waitFor } from "./world";

/**
 * Issue 10's hostile-input table: every endpoint of the content node, the discovery node and the
 * identity service, attacked through one devnet. Each row asserts its own answer; the closing
 * checks assert what the whole table must not have done: crash a service, log a 500, or leave a
 * row, a blob, a temp file or spent gas behind.
 *
 * Routes covered (from each service's app.ts and routes/):
 *   content node   POST /uploads, GET /uploads/:id, GET|HEAD /content/:cid, /ipfs/:cid,
 *                  /content/:uploadId/:variant, /tracks/cidstream/:cid, HEAD|PUT /internal/blobs/:cid,
 *                  GET /health_check
 *   discovery node /v1 and /v1/full: users/:id[/tracks|playlists|followers|following|subscribers|
 *                  reposts|favorites], users/handle/:handle, users/account/:wallet, users/search,
 *                  tracks/:id[/favorites|reposts|stream], POST tracks/:id/plays, tracks/search,
 *                  tracks/trending, playlists/:id[/tracks|favorites|reposts], playlists/search,
 *                  {users,tracks,playlists}/unclaimed_id, transactions/:txhash; GET /block_confirmation,
 *                  GET /health_check, POST /relay
 *   identity       POST|GET /authentication, POST /user, GET /users/check, POST /relay, POST /eth_relay,
 *                  GET /verification/start, GET /verification/callback, GET /health_check
 * plus unknown verbs and raw HTTP abuse on each.
 */
describe("hostile input: every endpoint of the three services", function () {
  this.timeout(60_000);
  const world = useWorld();
  let atStart: Persisted;
  let playCount: number;
  const incidents: string[] = [];
  const onRejection = (reason: unknown) => incidents.push(`unhandledRejection: ${String((reason as Error)?.stack ?? reason)}`);

  before(async () => {
    process.on("unhandledRejection", onRejection);
    atStart = await snapshot(world());
    playCount = await playCountOf();
  });

  it(`has at least 300 cases (${CONTENT_NODE_CASES.length + DISCOVERY_CASES.length + IDENTITY_CASES.length + PROTOCOL_CASES.length})`, () => {
    expect(CONTENT_NODE_CASES.length + DISCOVERY_CASES.length + IDENTITY_CASES.length + PROTOCOL_CASES.length).to.be.at.least(300);
  });

  async function playCountOf(): Promise<number> {
    const w = world();
    const res = await send({ base: w.discovery, method: "GET", path: `/v1/tracks/${w.track.hashid}` });
    return JSON.parse(res.body.toString()).data.play_count;
  }

  describe("content node", () => runTable(CONTENT_NODE_CASES, world));
  describe("discovery node", () => runTable(DISCOVERY_CASES, world));
  describe("identity service", () => runTable(IDENTITY_CASES, world));
  describe("HTTP itself, on each service", () => runTable(PROTOCOL_CASES, world));

  describe("after the whole table", () => {
    after(() => {
      process.off("unhandledRejection", onRejection);
    });

    it("every service still answers /health_check healthy", async () => {
      const w = world();
      for (const base of [w.discovery, w.identity, ...w.content]) {
        const res = await send({ base, method: "GET", path: "/health_check" });
        expect(res.status, base).to.equal(200);
        const body = JSON.parse(res.body.toString());
        expect(body.data?.healthy ?? body.healthy, base).to.equal(true);
      }
    });

    it("no service hit an unhandled error or an unhandled rejection", () => {
      expect(unhandledErrorLines(world())).to.deep.equal([]);
      expect(incidents).to.deep.equal([]);
    });

    it("no refused request left a row, a blob, a temp file or spent gas", async () => {
      const w = world();
      // A refused upload may still be removing its temp file when its answer is read.
      await waitFor(() => replicationSettled(w), "blobs or temp files did not settle after the table", 10_000).catch(() => undefined);
      const after = await snapshot(w);
      expect(after.rows).to.deep.equal(atStart.rows);
      expect(after.blobs).to.deep.equal(atStart.blobs);
      expect(after.tmpFiles).to.deep.equal([]);
      expect(after.balances).to.deep.equal(atStart.balances);
    });

    it("no refused play report counted a play", async () => {
      expect(await playCountOf()).to.equal(playCount);
    });
  });
});
