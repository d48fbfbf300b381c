import axios, { type AxiosInstance, type AxiosRequestConfig, type AxiosResponse } from "axios";
import { AsixError, errorFromResponse } from "./errors";

/** One axios instance per client: JSON by default, no throwing on status (we map errors ourselves). */
export function createHttp(timeoutMs = 30_000): AxiosInstance {
  return axios.create({ timeout: timeoutMs, validateStatus: () => true, maxRedirects: 5 });
}

/**
 * Send a request and return the parsed body of a 2xx answer. Anything else becomes an AsixError:
 * the service's own `{error:{code}}` when it sent one, NODE_UNAVAILABLE when nobody answered.
 */
export async function requestJson<T>(http: AxiosInstance, config: AxiosRequestConfig, context: string): Promise<T> {
  let response: AxiosResponse;
  try {
    response = await http.request(config);
  } catch (cause) {
    throw networkError(cause, context, config.url);
  }
  if (response.status >= 200 && response.status < 300) return response.data as T;
  throw errorFromResponse(response.status, response.data, context);
}

export function networkError(cause: unknown, context: string, url?: string): AsixError {
  const code = (cause as { code?: string }).code;
  if (code === "ECONNABORTED" || code === "ETIMEDOUT") {
    return new AsixError("TIMEOUT", `${context}: ${url ?? "request"} timed out`, { cause });
  }
  return new AsixError("NODE_UNAVAILABLE", `${context}: cannot reach ${url ?? "the node"} (${code ?? String(cause)})`, { cause });
}
