import { expect } from "chai";
import { send, type HostileAnswer, type HostileRequest } from "./wire";
import type { World } from "./world";

/**
 * One row of the hostile-input table: a request built against the seeded world, and the answer it
 * must get. Whatever the row says, no answer may be a 5xx or a dropped connection, and every refusal
 * (a 4xx to anything but HEAD) is JSON `{error:{code,message}}`.
 */
export interface HostileCase {
  /** reads as the attack: "GET /v1/users/:id with an encoded NUL in the id" */
  name: string;
  request: (w: World) => HostileRequest | Promise<HostileRequest>;
  /** the status (or the statuses) the request must get */
  status: number | readonly number[];
  /** the error code a refusal must carry */
  code?: string;
  /** more to check on the answer */
  check?: (answer: HostileAnswer, w: World) => unknown;
}

/** `it` per row, in order, against the world `getWorld` returns once built. */
export function runTable(cases: readonly HostileCase[], getWorld: () => World): void {
  const seen = new Set<string>();
  for (const c of cases) {
    if (seen.has(c.name)) throw new Error(`two hostile cases share the name ${JSON.stringify(c.name)}`);
    seen.add(c.name);
    it(c.name, async () => {
      const w = getWorld();
      const request = await c.request(w);
      const answer = await send(request);
      expectAnswer(c, request, answer);
      await c.check?.(answer, w);
    });
  }
}

export function expectAnswer(c: Pick<HostileCase, "status" | "code">, request: HostileRequest, answer: HostileAnswer): void {
  const body = answer.body.toString("utf8");
  const what = `${request.method} ${request.path.slice(0, 120)} → ${answer.status} ${body.slice(0, 300)}`;
  expect(answer.status, `no 5xx: ${what}`).to.be.below(500);
  const statuses = typeof c.status === "number" ? [c.status] : c.status;
  expect(statuses, what).to.include(answer.status);
  if (answer.status >= 400 && request.method !== "HEAD") {
    expect(String(answer.headers["content-type"]), `a JSON refusal: ${what}`).to.match(/^application\/json/);
    const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } };
    expect(parsed.error?.code, `{error:{code}}: ${what}`).to.be.a("string");
    expect(parsed.error?.message, `{error:{message}}: ${what}`).to.be.a("string");
    if (c.code) expect(parsed.error!.code, what).to.equal(c.code);
  }
}

/** The JSON body of an answer. */
export function jsonOf(answer: HostileAnswer): any {
  return JSON.parse(answer.body.toString("utf8"));
}

export const JSON_HEADERS = { "content-type": "application/json" } as const;
