/**
 * A byte stream that survives its source breaking: when a read fails (or the body ends short of the
 * length it announced), `reopen(offset)` gives the same bytes from `offset` on, from another node,
 * and the reader never sees the break. Web streams only, so it runs in browsers too.
 */

export interface ResumableBodyParameters {
  first: ReadableStream<Uint8Array>;
  /** absolute offset of the first byte of `first` */
  start: number;
  /** absolute offset one past the last byte expected, when the answer announced its length */
  end?: number;
  /** the bytes from `offset` on, elsewhere; throws when there is nowhere left to go */
  reopen: (offset: number, failure: unknown) => Promise<ReadableStream<Uint8Array>>;
  /** the caller's signal: a break it caused is the caller's, not the node's, and is not resumed */
  signal?: AbortSignal;
}

export function resumableBody(params: ResumableBodyParameters): ReadableStream<Uint8Array> {
  let reader = params.first.getReader();
  let offset = params.start;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        let failure: unknown;
        try {
          const { done, value } = await reader.read();
          if (!done) {
            offset += value.byteLength;
            controller.enqueue(value);
            return;
          }
          if (params.end === undefined || offset >= params.end) {
            controller.close();
            return;
          }
          failure = new Error(`the body ended at byte ${offset} of ${params.end}`);
        } catch (e) {
          failure = e;
        }
        if (params.signal?.aborted) {
          controller.error(failure);
          return;
        }
        reader.releaseLock();
        try {
          reader = (await params.reopen(offset, failure)).getReader();
        } catch (e) {
          controller.error(e);
          return;
        }
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}
