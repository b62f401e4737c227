/**
 * Count-based selection of a mode's requests (the contract's `when`): which of the requests a mode matches it
 * applies to, counted from when the mode was set: `nth`, `first`, `every`, or `once_per_request` (the first
 * attempt of each SUT request on each path, so the SUT's retry of it passes).
 *
 * Attempts of one SUT request are correlated by what the SUT forwards: the trace id (`traceparent`, else
 * `x-shakedown-sample-id`), else the request body's text, else the method and URL.
 */
import { type ModeWhen, hashString } from '../contract/index.ts';

/** Most SUT requests `once_per_request` remembers per mode; past it, the oldest are forgotten. */
export const MAX_REMEMBERED_REQUESTS = 100_000;

/** What a selector reads of a request. */
export interface CountedRequest {
  path: string;
  method: string;
  url: string;
  traceId: string | null;
  /** The request body's text, read only when needed. */
  body?: () => string;
}

/** Decides, request by request, whether a mode's `when` selects it. Call once per matching request. */
export type CountSelector = (request: CountedRequest) => boolean;

/** The attempt key of a request for `once_per_request`: path + trace id, else path + a hash of the body. */
export function attemptKey(request: CountedRequest): string {
  if (request.traceId !== null) return `${request.path} trace ${request.traceId}`;
  const body = request.body?.();
  if (body !== undefined && body.length > 0) return `${request.path} body ${hashString(body).toString(16)}:${body.length}`;
  return `${request.method} ${request.url}`;
}

/** A selector for `when`; without one, every request is selected. */
export function createCountSelector(when: ModeWhen | undefined): CountSelector {
  if (when === undefined) return () => true;
  let seen = 0;
  if (when.nth !== undefined) {
    const nth = when.nth;
    return () => ++seen === nth;
  }
  if (when.first !== undefined) {
    const first = when.first;
    return () => ++seen <= first;
  }
  if (when.every !== undefined) {
    const every = when.every;
    return () => ++seen % every === 0;
  }
  const attempted = new Set<string>();
  return (request) => {
    const key = attemptKey(request);
    if (attempted.has(key)) return false;
    if (attempted.size >= MAX_REMEMBERED_REQUESTS) attempted.delete(attempted.values().next().value as string);
    attempted.add(key);
    return true;
  };
}
