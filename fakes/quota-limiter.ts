/**
 * Per-key request and token quotas of the model fake, as OpenAI enforces and reports them: the `quota` option
 * (for the fake's life) and `quota` modes (from the moment the mode is set until it is removed).
 *
 * - The key is the `authorization` bearer token, else `x-api-key`, else the empty key (all anonymous callers share
 *   one quota).
 * - Each key has a fixed window of `window_ms` (default 60,000) that starts at its first request and restarts at the
 *   first request after it ends. A request is admitted while the window has a request left (`rpm`) and as many
 *   tokens left as its prompt has (`tpm`); then 1 request and its prompt tokens are taken, and its completion tokens
 *   when the answer is built. Refused requests take nothing.
 * - Tokens are the fakes' `usage` count (`countTokens`: the prompt's words and punctuation marks).
 * - Every answer under a quota carries `x-ratelimit-{limit,remaining,reset}-{requests,tokens}`; a refusal is 429
 *   `rate_limit_exceeded` (type `requests` or `tokens`, OpenAI's message) with `retry-after` (whole seconds, rounded
 *   up) and `retry-after-ms`: the real time until the key's window ends.
 * - On the Anthropic Messages API (`dialect: 'anthropic'`) the same counters speak Anthropic's headers:
 *   `anthropic-ratelimit-{requests,tokens}-{limit,remaining,reset}` (reset an RFC 3339 time), and a refusal is 429
 *   `rate_limit_error` in Anthropic's error body with `retry-after` (whole seconds).
 * @see https://platform.openai.com/docs/guides/rate-limits#rate-limits-in-headers
 * @see https://docs.anthropic.com/en/api/rate-limits#response-headers
 */
import { DEFAULT_QUOTA_WINDOW_MS, type QuotaMode, type QuotaOptions, modeMatchesPath } from '../contract/index.ts';
import type { FakeRuntime, RequestHead } from './fake-runtime.ts';
import { anthropicError } from './anthropic-errors.ts';
import { providerError } from './provider-error.ts';

/** Whose headers and error shape a quota answers with. */
export type QuotaDialect = 'openai' | 'anthropic';

/** The key a request's quota is counted under: the bearer token, else `x-api-key`, else `''`. */
export function apiKeyOf(headers: Headers): string {
  const bearer = /^Bearer\s+(.+)$/i.exec(headers.get('authorization') ?? '');
  return bearer ? bearer[1].trim() : (headers.get('x-api-key') ?? '');
}

/** A duration as OpenAI's reset headers spell it: `20ms`, `1s`, `1.5s`, `6m0s`, `1h2m3s`. */
export function formatResetDuration(ms: number): string {
  const whole = Math.max(0, Math.ceil(ms));
  if (whole < 1000) return `${whole}ms`;
  const hours = Math.floor(whole / 3_600_000);
  const minutes = Math.floor((whole % 3_600_000) / 60_000);
  const seconds = (whole % 60_000) / 1000;
  const s = `${Number(seconds.toFixed(3))}s`;
  return hours > 0 ? `${hours}h${minutes}m${s}` : minutes > 0 ? `${minutes}m${s}` : s;
}

/** Keys past which a new key first drops the windows that have ended. */
const MAX_KEYS = 10_000;

interface Window {
  start_ms: number;
  requests: number;
  tokens: number;
}

/** One quota's counters, by key. */
function createQuota(quota: QuotaOptions) {
  const windowMs = quota.window_ms ?? DEFAULT_QUOTA_WINDOW_MS;
  const windows = new Map<string, Window>();
  const current = (key: string, now: number): Window => {
    let w = windows.get(key);
    if (w === undefined || now >= w.start_ms + windowMs) {
      // Many keys (a SUT that sends one per user): ended windows go, so the map holds only live ones.
      if (w === undefined && windows.size >= MAX_KEYS)
        for (const [k, other] of windows) if (now >= other.start_ms + windowMs) windows.delete(k);
      w = { start_ms: now, requests: 0, tokens: 0 };
      windows.set(key, w);
    }
    return w;
  };
  return {
    /** The limit this request breaks (`requests` or `tokens`) with the window's figures, or null when it fits. */
    check(key: string, tokens: number, now: number) {
      const w = current(key, now);
      const resetMs = w.start_ms + windowMs - now;
      if (quota.rpm !== undefined && w.requests + 1 > quota.rpm)
        return { limit: 'requests' as const, max: quota.rpm, used: w.requests, requested: 1, resetMs };
      if (quota.tpm !== undefined && w.tokens + tokens > quota.tpm)
        return { limit: 'tokens' as const, max: quota.tpm, used: w.tokens, requested: tokens, resetMs };
      return null;
    },
    /** The key's current window, without taking anything. */
    window: current,
    take(key: string, tokens: number, now: number): Window {
      const w = current(key, now);
      w.requests += 1;
      w.tokens += tokens;
      return w;
    },
    /** The `x-ratelimit-*` trio of each limit the quota sets (`anthropic-ratelimit-*` in the Anthropic dialect). */
    headers(w: Window, now: number, dialect: QuotaDialect = 'openai'): Record<string, string> {
      const headers: Record<string, string> = {};
      if (dialect === 'anthropic') {
        // An RFC 3339 time, to the second, rounded up so a client that waits until it never comes back early.
        const reset = new Date(Math.ceil((Date.now() + w.start_ms + windowMs - now) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
        for (const [limit, max, used] of [
          ['requests', quota.rpm, w.requests],
          ['tokens', quota.tpm, w.tokens],
        ] as const) {
          if (max === undefined) continue;
          headers[`anthropic-ratelimit-${limit}-limit`] = String(max);
          headers[`anthropic-ratelimit-${limit}-remaining`] = String(Math.max(0, max - used));
          headers[`anthropic-ratelimit-${limit}-reset`] = reset;
        }
        return headers;
      }
      const reset = formatResetDuration(w.start_ms + windowMs - now);
      if (quota.rpm !== undefined) {
        headers['x-ratelimit-limit-requests'] = String(quota.rpm);
        headers['x-ratelimit-remaining-requests'] = String(Math.max(0, quota.rpm - w.requests));
        headers['x-ratelimit-reset-requests'] = reset;
      }
      if (quota.tpm !== undefined) {
        headers['x-ratelimit-limit-tokens'] = String(quota.tpm);
        headers['x-ratelimit-remaining-tokens'] = String(Math.max(0, quota.tpm - w.tokens));
        headers['x-ratelimit-reset-tokens'] = reset;
      }
      return headers;
    },
  };
}
type Quota = ReturnType<typeof createQuota>;

/** A request admitted under the quotas in force: its headers, and `charge()` for its completion tokens. */
export interface QuotaAdmission {
  /** `x-ratelimit-*` of the quotas in force (a mode's over the option's); empty when none is. */
  headers(): Record<string, string>;
  /** Takes `tokens` (the completion's) from every quota that admitted the request. */
  charge(tokens: number): void;
}

const NO_QUOTA: QuotaAdmission = { headers: () => ({}), charge: () => {} };

export interface ModelQuotas {
  /** Admits the request (taking 1 request and `promptTokens`) or returns the 429 to send, in `dialect` (default OpenAI's). */
  admit(request: RequestHead, model: string, promptTokens: number, dialect?: QuotaDialect): QuotaAdmission | Response;
}

/** The quotas of one model fake: its `quota` option and the `quota` modes set on its runtime. */
export function createModelQuotas(option: QuotaOptions | undefined, runtime: FakeRuntime): ModelQuotas {
  const fixed = option ? createQuota(option) : undefined;
  // A mode's counters live as long as the mode object: a new PUT under the same id starts them from zero.
  const byMode = new Map<string, { mode: QuotaMode; quota: Quota }>();
  // Called for every answered request: cheap when no quota is in force (no URL parse, no allocation past modes()).
  const inForce = (url: string): { id: string | null; quota: Quota }[] => {
    const modes = runtime.modes();
    for (const id of byMode.keys()) if (modes[id] !== byMode.get(id)!.mode) byMode.delete(id);
    const quotaModes = Object.entries(modes).filter((entry): entry is [string, QuotaMode] => entry[1].kind === 'quota');
    if (quotaModes.length === 0) return fixed ? [{ id: null, quota: fixed }] : [];
    const path = new URL(url).pathname;
    const found: { id: string | null; quota: Quota }[] = fixed ? [{ id: null, quota: fixed }] : [];
    for (const [id, mode] of quotaModes) {
      if (!modeMatchesPath(mode, path)) continue;
      let entry = byMode.get(id);
      if (entry === undefined) byMode.set(id, (entry = { mode, quota: createQuota(mode) }));
      found.push({ id, quota: entry.quota });
    }
    return found;
  };
  return {
    admit(request, model, promptTokens, dialect = 'openai') {
      const quotas = inForce(request.url);
      if (quotas.length === 0) return NO_QUOTA;
      const key = apiKeyOf(request.headers);
      const now = performance.now();
      for (const { id, quota } of quotas) {
        const broken = quota.check(key, promptTokens, now);
        if (broken === null) continue;
        if (id !== null) runtime.markApplied(request, id);
        const waitMs = Math.max(1, Math.ceil(broken.resetMs));
        runtime.record(request, { retry_after_ms: waitMs });
        const per = broken.limit === 'requests' ? 'requests per min (RPM)' : 'tokens per min (TPM)';
        if (dialect === 'anthropic')
          return anthropicError(429, {
            type: 'rate_limit_error',
            message: `This request would exceed your organization's rate limit of ${broken.max} ${broken.limit === 'requests' ? 'requests' : 'input tokens'} per minute (model: ${model}). Please try again in ${formatResetDuration(waitMs)}.`,
            headers: { ...quota.headers(quota.window(key, now), now, 'anthropic'), 'retry-after': String(Math.ceil(waitMs / 1000)) },
          });
        return providerError({
          status: 429,
          message: `Rate limit reached for ${model} in organization org-shakedown on ${per}: Limit ${broken.max}, Used ${broken.used}, Requested ${broken.requested}. Please try again in ${formatResetDuration(waitMs)}.`,
          type: broken.limit,
          code: 'rate_limit_exceeded',
          headers: {
            ...quota.headers(quota.window(key, now), now),
            'retry-after': String(Math.ceil(waitMs / 1000)),
            'retry-after-ms': String(waitMs),
          },
        });
      }
      const taken = quotas.map(({ quota }) => ({ quota, window: quota.take(key, promptTokens, now) }));
      return {
        headers() {
          const at = performance.now();
          return Object.assign({}, ...taken.map(({ quota, window }) => quota.headers(window, at, dialect))) as Record<string, string>;
        },
        charge(tokens) {
          for (const { window } of taken) window.tokens += tokens;
        },
      };
    },
  };
}
