/**
 * Direct routes: the hottest requests of a fake answered by the HTTP adapter without msw's fetch
 * `Request`/`Response` round trip (request clone, handler matching, response stream). Everything else, and any
 * request a route declines, goes through the msw handlers, which stay the definition of the fake's behaviour: a
 * direct route must answer byte for byte what its msw handler would (same status, headers, body, request log).
 *
 * Why: in benchmark B3 (issue 5) building the fetch `Request`, msw's handler run and `HttpResponse.json` with its
 * body stream cost about as much CPU as the model fake's answer itself.
 */
import type { JsonBodyType } from 'msw';
import type { RequestHead } from './fake-runtime.ts';

/** The request a direct route answers: what the runtime reads, and the client's abort signal. */
export interface DirectRequest extends RequestHead {
  /** Aborts when the client goes away before the response has been sent. */
  readonly signal: AbortSignal;
}

/**
 * A status 200 JSON answer, written in one piece exactly as msw's `HttpResponse.json(body, { headers })` would be
 * sent: `content-type: application/json`, `content-length` (UTF-8 bytes) and `headers`, names in sorted order.
 */
export interface DirectJson {
  kind: 'json';
  body: JsonBodyType;
  /** Extra response headers, lowercase names other than `content-type` and `content-length`. */
  headers: Readonly<Record<string, string>>;
}

/** What answers a claimed request: a JSON answer, or any `Response` (written as the msw path writes it). */
export type DirectAnswer = (request: DirectRequest) => Promise<DirectJson | Response>;

export interface DirectRoute {
  /** Request method, upper case, e.g. `POST`. */
  method: string;
  /**
   * The exact request target it takes, e.g. `/v1/chat/completions`: no query, no trailing slash, no absolute form
   * (any other spelling goes to msw).
   */
  path: string;
  /**
   * Called with the request body (UTF-8 text) once it has arrived in full, before the request is logged. Returns
   * null to leave the request to the msw handlers (so it must not have changed any state), else the function
   * that answers it.
   */
  claim(body: string): DirectAnswer | null;
}
