/**
 * Anthropic-shaped errors: `{"type":"error","error":{"type","message"}}` with the status's error type, for the
 * model fake's `/v1/messages` (its own 400s and the `http_error` / `error_body` modes).
 *
 * Types by status: 400 `invalid_request_error`, 401 `authentication_error`, 402 `billing_error`, 403
 * `permission_error`, 404 `not_found_error`, 413 `request_too_large`, 429 `rate_limit_error`, 500 `api_error`, 504
 * `timeout_error`, 529 `overloaded_error`; other 4xx `invalid_request_error`, other 5xx `api_error`. An
 * `http_error` mode's `code` replaces the type, its `message` the default message; `retry_after_s` sends
 * `retry-after` (whole seconds, rounded up) and `retry-after-ms`. Every error carries a `request-id` header.
 * @see https://docs.anthropic.com/en/api/errors
 */
import { randomBytes } from 'node:crypto';
import { HttpResponse } from 'msw';
import { type ErrorBodyMode, type HttpErrorMode, MODE_DEFAULTS } from '../contract/index.ts';
import type { AppliedMode } from './fake-runtime.ts';

const TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

const MESSAGES: Record<string, string> = {
  invalid_request_error: 'Invalid request.',
  authentication_error: 'invalid x-api-key',
  billing_error: 'Your credit balance is too low to access the Anthropic API.',
  permission_error: 'Your API key does not have permission to use the specified resource.',
  not_found_error: 'The requested resource could not be found.',
  request_too_large: 'Request exceeds the maximum allowed number of bytes.',
  rate_limit_error: 'This request would exceed the rate limit for your organization. Please try again later.',
  api_error: 'Internal server error',
  timeout_error: 'Request timed out',
  overloaded_error: 'Overloaded',
};

/** The Anthropic error type of a status. */
export function anthropicErrorType(status: number): string {
  return TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

/** The body of an Anthropic error. */
export function anthropicErrorBody(type: string, message: string) {
  return { type: 'error', error: { type, message } };
}

/** A `request-id` header value shaped like Anthropic's (`req_011C` + 24 hex digits, random: it names no behaviour). */
export function anthropicRequestId(): string {
  return `req_011C${randomBytes(12).toString('hex')}`;
}

/** An Anthropic error response; `type` defaults from the status, `message` from the type. */
export function anthropicError(status: number, init: { type?: string; message?: string; headers?: Record<string, string> } = {}): Response {
  const type = init.type ?? anthropicErrorType(status);
  return HttpResponse.json(anthropicErrorBody(type, init.message ?? MESSAGES[type] ?? `Injected HTTP ${status} error.`), {
    status,
    headers: { 'request-id': anthropicRequestId(), ...init.headers },
  });
}

function httpErrorResponse(mode: HttpErrorMode): Response {
  const headers: Record<string, string> = {};
  if (mode.retry_after_s !== undefined) {
    headers['retry-after'] = String(Math.ceil(mode.retry_after_s));
    headers['retry-after-ms'] = String(Math.round(mode.retry_after_s * 1000));
  }
  return anthropicError(mode.status, { type: mode.code, message: mode.message, headers });
}

function errorBodyResponse(mode: ErrorBodyMode): Response {
  const body = anthropicErrorBody(mode.type ?? 'api_error', mode.message ?? MODE_DEFAULTS.error_body.message);
  return HttpResponse.json(body, { status: 200, headers: { 'request-id': anthropicRequestId() } });
}

/** The Anthropic-shaped response that replaces the answer for an `http_error` or `error_body` mode, else null. */
export function anthropicReplacedResponse(applied: AppliedMode | null): Response | null {
  if (applied?.mode.kind === 'http_error') return httpErrorResponse(applied.mode);
  if (applied?.mode.kind === 'error_body') return errorBodyResponse(applied.mode);
  return null;
}
