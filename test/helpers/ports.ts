import net from "node:net";

/** Whether something can listen on 127.0.0.1:port now. */
export async function canListen(port: number): Promise<boolean> {
  const server = net.createServer();
  const ok = await new Promise<boolean>((resolve) => {
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => resolve(true));
  });
  if (ok) await new Promise((resolve) => server.close(resolve));
  return ok;
}

/**
 * A devnet port base whose whole span was free a moment ago (a devnet uses base+0..base+29), away
 * from the 4700 default and from the ephemeral range, so test files never take each other's ports.
 */
export async function freePortBase(span = 30): Promise<number> {
  for (;;) {
    const base = 20_000 + Math.floor(Math.random() * 400) * 30;
    const checks = await Promise.all(Array.from({ length: span }, (_, i) => canListen(base + i)));
    if (checks.every(Boolean)) return base;
  }
}
