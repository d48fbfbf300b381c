import type { ListParameters } from "./reads";

/**
 * Cursor-style iteration over any list read: `for await (const u of paginate(p => asix.users.followers(id, p)))`.
 * Fetches pages of `pageSize` until a short page.
 */
export async function* paginate<T>(fetchPage: (paging: Required<Pick<ListParameters, "offset" | "limit">>) => Promise<T[]>, pageSize = 100): AsyncGenerator<T> {
  for (let offset = 0; ; offset += pageSize) {
    const page = await fetchPage({ offset, limit: pageSize });
    yield* page;
    if (page.length < pageSize) return;
  }
}
