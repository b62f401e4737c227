/**
 * The responses that replace an answer: `http_error` (a provider-shaped error with realistic defaults and headers)
 * and `error_body` (status 200 carrying a provider-shaped error body).
 *
 * 429 defaults to code `rate_limit_exceeded` (type `requests`); code `insufficient_quota` gets type
 * `insufficient_quota`. With `retry_after_s`, every status gets `retry-after` (whole seconds, rounded up) and
 * `retry-after-ms`; 429 also gets `x-ratelimit-{limit,remaining,reset}-{requests,tokens}`.
 * @see https://platform.openai.com/docs/guides/rate-limits#rate-limits-in-headers
 */
import { HttpResponse } from 'msw';
import { type ErrorBodyMode, type HttpErrorMode, MODE_DEFAULTS } from '../contract/index.ts';
import type { AppliedMode } from './fake-runtime.ts';
import { providerError, providerErrorBody } from './provider-error.ts';

const DEFAULT_MESSAGES: Record<number, string> = {
  401: 'Incorrect API key provided.',
  403: 'You are not allowed to make this request.',
  404: 'The requested resource does not exist.',
  500: 'The server had an error while processing your request. Sorry about that!',
  502: 'Bad gateway.',
  503: 'The server is overloaded or not ready yet.',
  504: 'The server timed out while processing your request.',
};

function defaultMessage(mode: HttpErrorMode): string {
  if (mode.code === 'insufficient_quota') {
    return 'You exceeded your current quota, please check your plan and billing details.';
  }
  if (mode.status === 429) {
    const wait = mode.retry_after_s === undefined ? '' : ` Please try again in ${mode.retry_after_s}s.`;
    return `Rate limit reached for requests.${wait}`;
  }
  return DEFAULT_MESSAGES[mode.status] ?? `Injected HTTP ${mode.status} error.`;
}

/** Builds the error response for an `http_error` mode. */
export function httpErrorModeResponse(mode: HttpErrorMode): Response {
  const code = mode.code ?? (mode.status === 429 ? 'rate_limit_exceeded' : mode.status === 401 ? 'invalid_api_key' : null);
  const headers: Record<string, string> = {};
  if (mode.retry_after_s !== undefined) {
    const seconds = mode.retry_after_s;
    headers['retry-after'] = String(Math.ceil(seconds));
    headers['retry-after-ms'] = String(Math.round(seconds * 1000));
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
  }
  return providerError({
    status: mode.status,
    message: mode.message ?? defaultMessage(mode),
    type: code === 'insufficient_quota' ? 'insufficient_quota' : undefined,
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
