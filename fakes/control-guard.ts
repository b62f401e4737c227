/**
 * The control API's secret: every control request must carry `Authorization: Bearer <token>`, else 401. Under
 * the harness the token is per run and reaches the fakes child over the IPC channel after fork (never env or
 * argv, which other processes of the same user can read); by hand, `SHAKEDOWN_CONTROL_TOKEN` sets it. Requests
 * refused are counted: the harness reads the count (`GET /health`) and marks the run untrusted when it is not 0.
 *
 * Modes: `required` with no token yet refuses everything (the child between listen and the token's arrival);
 * `open` (started by hand or in-process with no token) lets every request through.
 */
import { timingSafeEqual } from 'node:crypto';
import { http, type HttpHandler } from 'msw';
import { providerError } from './provider-error.ts';

export interface ControlGuard {
  /** Sets (or replaces) the token; from then on every control request must carry it. */
  setToken(token: string): void;
  /** Control requests refused for a missing or wrong token since start. */
  refused(): number;
  /** The msw handler that answers 401 to a request without the token (and falls through otherwise). */
  handler(): HttpHandler;
}

/** `token`: the secret (required from the start); `null`: refuse all until setToken(); undefined: open. */
export function createControlGuard(token: string | null | undefined): ControlGuard {
  let secret: Buffer | null | undefined = typeof token === 'string' ? Buffer.from(token) : token;
  let refused = 0;
  const allowed = (header: string | null) => {
    if (secret === undefined) return true;
    if (secret === null || !header?.startsWith('Bearer ')) return false;
    const given = Buffer.from(header.slice('Bearer '.length));
    return given.length === secret.length && timingSafeEqual(given, secret);
  };
  return {
    setToken(value) {
      if (value.length === 0) throw new Error('the control token must not be empty');
      secret = Buffer.from(value);
    },
    refused: () => refused,
    handler: () =>
      http.all('*', ({ request }) => {
        if (allowed(request.headers.get('authorization'))) return undefined;
        refused++;
        return providerError({
          status: 401,
          message:
            'The fakes control API needs Authorization: Bearer <token> (the run passes its token privately; by hand, the SHAKEDOWN_CONTROL_TOKEN the fakes were started with).',
          code: 'invalid_control_token',
        });
      }),
  };
}
