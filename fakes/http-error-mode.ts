/**
 * The responses that replace an answer: `http_error` (a provider-shaped error with realistic defaults and headers)
 * and `error_body` (status 200 carrying a provider-shaped error body).
 *
 * Each status gets OpenAI's body for it (type and code, see STATUS_ERRORS); 429 defaults to code
 * `rate_limit_exceeded` (type `requests`); code `insufficient_quota` gets type `insufficient_quota`; 529 gets
 * Anthropic's `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`. With `retry_after_s`,
 * `retry_hint` picks the hint: `retry-after` (whole seconds, rounded up) and `retry-after-ms` (default), one of
 * them, or `body` (only the message's "Please try again in 1.5s."); 429 with a header also gets
 * `x-ratelimit-{limit,remaining,reset}-{requests,tokens}`.
 * @see https://platform.openai.com/docs/guides/error-codes
 * @see https://docs.anthropic.com/en/api/errors
 * @see https://platform.openai.com/docs/guides/rate-limits#rate-limits-in-headers
 */
import { HttpResponse } from 'msw';
import { type ErrorBodyMode, type HttpErrorMode, MODE_DEFAULTS } from '../contract/index.ts';
import type { AppliedMode } from './fake-runtime.ts';
import { providerError, providerErrorBody } from './provider-error.ts';

/** OpenAI's error body for a status: message, type and code (401-404, 408, 409, 422 and 5xx as the API sends them). */
const STATUS_ERRORS: Record<number, { message: string; type: string; code: string | null }> = {
  400: { message: 'Invalid request.', type: 'invalid_request_error', code: null },
  401: {
    message: 'Incorrect API key provided: sk-shake****down. You can find your API key at https://platform.openai.com/account/api-keys.',
    type: 'invalid_request_error',
    code: 'invalid_api_key',
  },
  403: { message: 'Country, region, or territory not supported', type: 'request_forbidden', code: 'unsupported_country_region_territory' },
  404: {
    message: 'The model `gpt-4o-mini` does not exist or you do not have access to it.',
    type: 'invalid_request_error',
    code: 'model_not_found',
  },
  408: { message: 'Request timed out.', type: 'invalid_request_error', code: 'request_timeout' },
  409: {
    message: 'The request conflicts with another request in progress. Please retry.',
    type: 'invalid_request_error',
    code: 'conflict',
  },
  422: { message: 'The request was well-formed but could not be processed.', type: 'invalid_request_error', code: 'unprocessable_entity' },
  500: { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', code: null },
  502: { message: 'Bad gateway.', type: 'server_error', code: 'bad_gateway' },
  503: { message: 'The engine is currently overloaded, please try again later.', type: 'server_error', code: 'service_unavailable' },
  504: { message: 'The server timed out while processing your request.', type: 'server_error', code: 'gateway_timeout' },
};

/** Anthropic's status for an overloaded API, with its own body: `{"type":"error","error":{"type":"overloaded_error",...}}`. */
export const OVERLOADED_STATUS = 529;

/** The wait as OpenAI words it in a message: `1s`, `1.5s`, `250ms`. */
function waitText(seconds: number): string {
  return seconds < 1 ? `${Math.round(seconds * 1000)}ms` : `${Math.round(seconds * 1000) / 1000}s`;
}

function defaultMessage(mode: HttpErrorMode): string {
  const wait = mode.retry_after_s === undefined ? '' : ` Please try again in ${waitText(mode.retry_after_s)}.`;
  if (mode.code === 'insufficient_quota') {
    return 'You exceeded your current quota, please check your plan and billing details.';
  }
  if (mode.status === 429) return `Rate limit reached for requests.${wait}`;
  const known = STATUS_ERRORS[mode.status]?.message ?? `Injected HTTP ${mode.status} error.`;
  // The body-only hint: the wait is in the message and nowhere else.
  return mode.retry_hint === 'body' ? `${known}${wait}` : known;
}

/** The retry headers of `retry_after_s`, as `retry_hint` says (none for `body`). */
function retryHeaders(mode: HttpErrorMode): Record<string, string> {
  const seconds = mode.retry_after_s;
  const hint = mode.retry_hint ?? MODE_DEFAULTS.http_error.retry_hint;
  if (seconds === undefined || hint === 'body') return {};
  const headers: Record<string, string> = {};
  if (hint !== 'retry-after-ms') headers['retry-after'] = String(Math.ceil(seconds));
  if (hint !== 'retry-after') headers['retry-after-ms'] = String(Math.round(seconds * 1000));
  if (mode.status === 429) {
    Object.assign(headers, {
      'x-ratelimit-limit-requests': '60',
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': `${seconds}s`,
      'x-ratelimit-limit-tokens': '150000',
      'x-ratelimit-remaining-tokens': '0',
      'x-ratelimit-reset-tokens': `${seconds}s`,
    });
  }
  return headers;
}

/** Builds the error response for an `http_error` mode. */
export function httpErrorModeResponse(mode: HttpErrorMode): Response {
  const headers = retryHeaders(mode);
  const message = mode.message ?? defaultMessage(mode);
  if (mode.status === OVERLOADED_STATUS) {
    const body = { type: 'error', error: { type: mode.code ?? 'overloaded_error', message: mode.message ?? 'Overloaded' } };
    return HttpResponse.json(body, { status: mode.status, headers });
  }
  const known = STATUS_ERRORS[mode.status];
  const code = mode.code ?? (mode.status === 429 ? 'rate_limit_exceeded' : (known?.code ?? null));
  return providerError({
    status: mode.status,
    message,
    type: code === 'insufficient_quota' ? 'insufficient_quota' : known?.type,
    code,
    headers,
  });
}

/** Builds the response of an `error_body` mode: status 200 and a provider-shaped error body, as JSON. */
export function errorBodyModeResponse(mode: ErrorBodyMode): Response {
  const body = providerErrorBody({
    status: 200,
    message: mode.message ?? MODE_DEFAULTS.error_body.message,
    type: mode.type ?? MODE_DEFAULTS.error_body.type,
    code: mode.code ?? null,
  });
  return HttpResponse.json(body, { status: 200 });
}

/** The response that replaces a request's answer when the applied mode is `http_error` or `error_body`, else null. */
export function replacedResponse(applied: AppliedMode | null): Response | null {
  if (applied?.mode.kind === 'http_error') return httpErrorModeResponse(applied.mode);
  if (applied?.mode.kind === 'error_body') return errorBodyModeResponse(applied.mode);
  return null;
}
