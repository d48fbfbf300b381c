import { AsixError } from "../sdk/errors";

/**
 * What a devnet start has started, stopped in reverse order: on stop, and when a start fails
 * halfway (so a failed start holds no port).
 */
export class Teardown {
  private readonly steps: Array<() => Promise<void>> = [];

  add(step: () => Promise<void> | void): void {
    this.steps.push(async () => step());
  }

  /** Run every step, newest first; one that fails does not keep the others from running. */
  async run(): Promise<void> {
    for (const step of this.steps.splice(0).reverse()) await step().catch(() => undefined);
  }
}

/** Start one part; a taken port becomes a CONFLICT that names the port and the part. */
export async function startPart<T>(what: string, port: number | undefined, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (errnoOf(e) === "EADDRINUSE") throw new AsixError("CONFLICT", `port ${port} is in use: cannot start the ${what} there`, { cause: e });
    throw e;
  }
}

function errnoOf(e: unknown): string | undefined {
  for (let c = e as { code?: unknown; cause?: unknown } | undefined; c; c = c.cause as typeof c) {
    if (typeof c.code === "string" && c.code.startsWith("E")) return c.code;
  }
  return undefined;
}

export function portOf(url: string): number {
  return Number(new URL(url).port);
}
