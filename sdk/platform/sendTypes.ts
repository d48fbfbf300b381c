/** A multipart/form-data body both platforms can send: as a lazily pulled stream, or as one Blob. */
export interface MultipartSource {
  contentType: string;
  /** Total bytes, when the file size is known; otherwise undefined (chunked). */
  length: number | undefined;
  /** The body as a stream pulled on demand; `onBytes` gets the running count of bytes handed out. */
  stream(onBytes?: (sent: number) => void): ReadableStream<Uint8Array>;
  /** The body as a Blob: composed without copying when the file is a Blob or bytes, else read in. */
  blob(): Promise<Blob>;
}

/** One upload request. */
export interface MultipartUpload {
  url: string;
  body: MultipartSource;
  headers: Record<string, string>;
  /** Bytes of the body sent so far, as the platform reports them. */
  onBytes?: (sent: number) => void;
  signal?: AbortSignal;
  /** 0 or undefined: no timeout (a large file takes as long as the link needs). */
  timeoutMs?: number;
}
