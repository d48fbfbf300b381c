import { expect } from "chai";
import { send, type HostileRequest } from "./wire";
import { useWorld, type World } from "./world";

/**
 * Inputs that are refused correctly but could cost the service far more than a request should:
 * each is timed against a cheap refusal of the same route in the same run, so machine load cancels
 * out. The margins are two orders of magnitude wide; only real extra work fails them.
 */
async function elapsed(requests: HostileRequest[]): Promise<number> {
  const t0 = performance.now();
  for (const r of requests) {
    const answer = await send(r);
    expect(answer.status, `${r.method} ${r.path.slice(0, 60)}`).to.equal(400);
  }
  return performance.now() - t0;
}

describe("hostile input: refusals that must stay cheap", function () {
  this.timeout(60_000);
  const world = useWorld();
  const LONG_ID = "aB3".repeat(5000); // 15 kB of hashid alphabet: decoding it used to take over a second

  const routes: Array<{ label: string; at: (w: World, id: string) => HostileRequest }> = [
    { label: "discovery GET /v1/users/:id", at: (w, id) => ({ base: w.discovery, method: "GET", path: `/v1/users/${id}` }) },
    { label: "discovery GET /v1/tracks/:id/stream", at: (w, id) => ({ base: w.discovery, method: "GET", path: `/v1/tracks/${id}/stream` }) },
    { label: "identity GET /verification/start", at: (w, id) => ({ base: w.identity, method: "GET", path: `/verification/start?userId=${id}&wallet=${w.stranger.address}` }) },
  ];
  for (const route of routes) {
    it(`refuses a 15 kB hashid at ${route.label} as cheaply as a short bad one`, async () => {
      const w = world();
      const short = await elapsed(Array.from({ length: 3 }, () => route.at(w, "aB3aB3aB3")));
      const long = await elapsed(Array.from({ length: 3 }, () => route.at(w, LONG_ID)));
      expect(long, `15 kB ids took ${long.toFixed(0)} ms, short ones ${short.toFixed(0)} ms`).to.be.below(5 * short + 150);
    });
  }
});
