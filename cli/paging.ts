import { Flags } from "@oclif/core";

/**
 * What every list command returns under --json: one page and where the next one starts.
 * `next` is the offset to pass for the following page, null once a page comes back short.
 */
export interface Page<T> {
  data: T[];
  offset: number;
  limit: number;
  next: number | null;
}

/** `--limit` and `--offset`, the same on every list. */
export const pageFlags = (defaultLimit: number) => ({
  limit: Flags.integer({ description: "page size", default: defaultLimit, min: 1, max: 500 }),
  offset: Flags.integer({ description: "skip this many (a previous page's `next`)", default: 0, min: 0 }),
});

export function page<T>(data: T[], paging: { offset: number; limit: number }): Page<T> {
  return { data, offset: paging.offset, limit: paging.limit, next: data.length < paging.limit ? null : paging.offset + paging.limit };
}

/** A page of a list the CLI holds whole (read from the chain or the config dir). */
export function slicePage<T>(all: T[], paging: { offset: number; limit: number }): Page<T> {
  const data = all.slice(paging.offset, paging.offset + paging.limit);
  return { data, offset: paging.offset, limit: paging.limit, next: paging.offset + paging.limit < all.length ? paging.offset + paging.limit : null };
}

/** The --json shape of a list, for its --help examples. */
export const PAGE_SHAPE = (item: string) => `{"data": [${item}, ...], "offset": 0, "limit": 20, "next": 20}`;
