import { isAsixError, type AsixError } from "../../sdk/errors";

/** The AsixError a promise rejects with (fails the test when it resolves or rejects with anything else). */
export async function rejection(p: Promise<unknown>): Promise<AsixError> {
  try {
    await p;
  } catch (e) {
    if (isAsixError(e)) return e;
    throw e;
  }
  throw new Error("expected an AsixError");
}
