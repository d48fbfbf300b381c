import { expect } from "chai";
import { send, type HostileRequest } from "./wire";
import { useWorld, type World } from "./world";

/**
 * A 15 kB string of hashid characters used to cost the discovery node and the identity service over
 * a second per request to decode. The guard in sdk/hashids.ts refuses it by its length before it is
 * decoded; these rows check that every route that takes an id answers it with a plain 400. That the
 * guard never refuses a real id is checked in test/sdk/vectors.test.ts. (No timing is asserted: a
 * test that depends on the machine's speed would be flaky.)
 */
describe("hostile input: overlong hashids", function () {
  this.timeout(60_000);
  const world = useWorld();
  const LONG_ID = "aB3".repeat(5000);

  const routes: Array<{ label: string; at: (w: World, id: string) => HostileRequest }> = [
    { label: "discovery GET /v1/users/:id", at: (w, id) => ({ base: w.discovery, method: "GET", path: `/v1/users/${id}` }) },
    { label: "discovery GET /v1/tracks/:id/stream", at: (w, id) => ({ base: w.discovery, method: "GET", path: `/v1/tracks/${id}/stream` }) },
    { label: "identity GET /verification/start", at: (w, id) => ({ base: w.identity, method: "GET", path: `/verification/start?userId=${id}&wallet=${w.stranger.address}` }) },
  ];
  for (const route of routes) {
    it(`refuses a 15 kB hashid at ${route.label} with a JSON 400`, async () => {
      const answer = await send(route.at(world(), LONG_ID));
      expect(answer.status).to.equal(400);
    });
  }
});
