/**
 * Load generator for the relay benchmark, run in its own process (as autocannon is for the other
 * benches) so that it does not share the service's event loop. Reads a JSON file of
 * { url, inFlight, bodies }, POSTs every body with `inFlight` requests outstanding over keep-alive
 * connections, and prints { seconds, latenciesMs, failures, transactionHashes } as one JSON line.
 */
import fs from "node:fs";
import http from "node:http";

interface Job {
  url: string;
  inFlight: number;
  bodies: unknown[];
}

function post(agent: http.Agent, url: URL, payload: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload) } },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (d) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

async function main() {
  const job = JSON.parse(fs.readFileSync(process.argv[2], "utf8")) as Job;
  const url = new URL(job.url);
  const payloads = job.bodies.map((b) => JSON.stringify(b));
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.inFlight });
  const latenciesMs: number[] = [];
  const failures: Record<string, number> = {};
  const transactionHashes: string[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: job.inFlight }, async () => {
      while (next < payloads.length) {
        const payload = payloads[next++];
        const t = performance.now();
        const { status, body } = await post(agent, url, payload).catch(() => ({ status: 0, body: "" }));
        if (status === 200) {
          latenciesMs.push(performance.now() - t);
          transactionHashes.push(JSON.parse(body).receipt.transactionHash);
        } else failures[status] = (failures[status] ?? 0) + 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  process.stdout.write(JSON.stringify({ seconds, latenciesMs, failures, transactionHashes }) + "\n");
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
