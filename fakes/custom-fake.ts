/**
 * The `custom` fake: a dependency of the user's own (any HTTP API), served from their msw handlers and fixtures on
 * its own port behind its own Toxiproxy proxy, like the built-in fakes.
 *
 * Every request is first rolled against the fake's modes (`http_error`, `error_body`: one roll per request, on
 * the paths each mode selects); then `latency_ms` passes; then the first matching fixture answers, else the user's
 * handlers, else a provider-shaped 404 naming the method and path no handler answered.
 */
import { http, type HttpHandler, type RequestHandler } from 'msw';
import { type CustomFakeOptions, RESPONSE_MODES } from '../contract/index.ts';
import { userResponsesHandler } from './fixtures.ts';
import { type HandlerContext, pause, resolveHandlerContext } from './handler-context.ts';
import { replacedResponse } from './http-error-mode.ts';
import { providerError } from './provider-error.ts';

/** Builds the custom fake's handlers around the user's (already imported: `loadUserHandlers`). */
export function customFakeHandlers(
  options: CustomFakeOptions,
  userHandlers: readonly RequestHandler[],
  context: HandlerContext = {},
): HttpHandler[] {
  const { runtime } = resolveHandlerContext('custom', context);
  const latencyMs = options.latency_ms ?? 0;
  const modesAndLatency = http.all('*', async ({ request }) => {
    const replaced = replacedResponse(runtime.roll(request, { stream: false, accepts: RESPONSE_MODES }));
    if (replaced) return replaced;
    await pause(latencyMs, request.signal);
    return undefined; // fixtures and the user's handlers answer
  });
  const notFound = http.all('*', ({ request }) =>
    providerError({
      status: 404,
      message: `No fixture or handler of this fake answers ${request.method} ${new URL(request.url).pathname}.`,
      code: 'not_found',
    }),
  );
  return [modesAndLatency, userResponsesHandler(options.fixtures ?? [], userHandlers, runtime, true), notFound];
}
