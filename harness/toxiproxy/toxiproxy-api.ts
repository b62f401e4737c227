import { ShakedownError } from '../errors.ts';
import { TOXIPROXY_DEFAULTS } from './defaults.ts';

/**
 * Sends one request to a Toxiproxy API and returns the parsed JSON body (undefined for 204).
 * Every request is bounded by `timeoutMs`. The server's own error text reaches the message, which
 * toxiproxy-node-client drops: `Toxiproxy refused toxic "x" on proxy "model": toxic already exists (HTTP 409)`.
 *
 * Throws ShakedownError `TOXIPROXY_REFUSED` (the server answered non-2xx; `status` is set) or
 * `TOXIPROXY_REQUEST_FAILED` (no answer: refused connection, timeout).
 */
export async function toxiproxyRequest(
  url: string,
  request: { method: 'GET' | 'POST' | 'PATCH' | 'DELETE'; path: string; body?: unknown; what: string; timeoutMs?: number },
): Promise<unknown> {
  const timeoutMs = request.timeoutMs ?? TOXIPROXY_DEFAULTS.requestTimeoutMs;
  const target = `${url.replace(/\/+$/, '')}${request.path}`;
  let response: Response;
  let text: string;
  try {
    response = await fetch(target, {
      method: request.method,
      headers: request.body === undefined ? undefined : { 'content-type': 'application/json' },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await response.text();
  } catch (error) {
    throw new ShakedownError(
      'TOXIPROXY_REQUEST_FAILED',
      `Toxiproxy at ${url} did not answer ${request.method} ${request.path} (${request.what}): ${describeFetchError(error, timeoutMs)}. ` +
        'Check that the server is still running.',
      { cause: error },
    );
  }
  if (!response.ok) {
    throw new ToxiproxyRefusedError(
      `Toxiproxy refused ${request.what}: ${serverErrorText(text, response.statusText)} (HTTP ${response.status})`,
      response.status,
    );
  }
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    // Toxiproxy before 2.10 answered GET /version with plain text; callers that expect JSON check the shape.
    return text;
  }
}

/** A non-2xx answer from Toxiproxy; `status` lets callers tolerate 404 during cleanup. */
export class ToxiproxyRefusedError extends ShakedownError {
  status: number;

  constructor(message: string, status: number) {
    super('TOXIPROXY_REFUSED', message);
    this.status = status;
  }
}

/** Reads `GET /version`: `{"version":"2.12.0"}` since 2.10, plain `2.1.4` before. */
export async function readToxiproxyVersion(url: string, timeoutMs?: number): Promise<string> {
  const body = await toxiproxyRequest(url, { method: 'GET', path: '/version', what: 'a version check', timeoutMs });
  if (typeof body === 'string' && /^\d+\.\d+/.test(body.trim())) return body.trim();
  if (typeof body === 'object' && body !== null && typeof (body as { version?: unknown }).version === 'string') {
    return (body as { version: string }).version;
  }
  throw new ShakedownError(
    'TOXIPROXY_REQUEST_FAILED',
    `The server at ${url} answered GET /version with ${JSON.stringify(body)}, which is not Toxiproxy's answer. ` +
      'Point TOXIPROXY_URL at a Toxiproxy API (default port 8474).',
  );
}

function serverErrorText(text: string, statusText: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (typeof parsed.error === 'string') return parsed.error;
  } catch {
    // not JSON: fall through to the raw text
  }
  return text.trim() === '' ? statusText || 'no error text' : text.trim();
}

/** `fetch failed` hides the reason in `cause`; name it (ECONNREFUSED, timeout after N ms). */
export function describeFetchError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${timeoutMs} ms`;
  }
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  if (cause?.code) return cause.code;
  if (cause?.message) return cause.message;
  return error instanceof Error ? error.message : String(error);
}
