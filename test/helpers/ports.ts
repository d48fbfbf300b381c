import net from "node:net";

/** Whether something can listen on 127.0.0.1:port now. */
export async function canListen(port: number): Promise<boolean> {
  const server = await listenOn(port);
  if (server) await new Promise((resolve) => server.close(resolve));
  return server !== undefined;
}

function listenOn(port: number): Promise<net.Server | undefined> {
  const server = net.createServer();
  return new Promise((resolve) => {
    server.once("error", () => resolve(undefined));
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => resolve(server));
  });
}

/** Devnet port bases are 20000, 20030, … (below the kernel's ephemeral range, 32768+). */
const FIRST_BASE = 20_000;
const SLOT = 30;
const SLOTS = 400;
/** Slot i is claimed by listening on LOCK_PORT + i; see freePortBase. */
const LOCK_PORT = 19_500;
/** The claims this process holds: never released before it exits, so a base is never handed out twice. */
const claims: net.Server[] = [];

/**
 * A devnet port base (a devnet uses base+0..base+29) that no other test process can be handed,
 * away from the 4700 default and from the ephemeral range. Test files run in parallel processes
 * (`mocha --parallel`, and other checkouts' suites on the same machine), so "check the span is
 * free, then use it" alone would let two processes pick the same base between check and use. A
 * base is claimed instead by listening on its lock port: binding is atomic across processes, and
 * the kernel frees the claim when the process exits however it ends, so nothing stale is left
 * behind. The span itself is then checked for other programs' listeners.
 */
export async function freePortBase(span = SLOT): Promise<number> {
  if (span > SLOT) throw new Error(`a port base spans at most ${SLOT} ports`);
  const start = Math.floor(Math.random() * SLOTS);
  for (let n = 0; n < SLOTS; n++) {
    const slot = (start + n) % SLOTS;
    const claim = await listenOn(LOCK_PORT + slot);
    if (!claim) continue;
    const base = FIRST_BASE + slot * SLOT;
    const checks = await Promise.all(Array.from({ length: span }, (_, i) => canListen(base + i)));
    if (checks.every(Boolean)) {
      claim.unref();
      claims.push(claim);
      return base;
    }
    await new Promise((resolve) => claim.close(resolve));
  }
  throw new Error(`no free devnet port base among ${SLOTS} (ports ${FIRST_BASE}..${FIRST_BASE + SLOTS * SLOT - 1})`);
}
