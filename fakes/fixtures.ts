/**
 * A user's own responses on a fake: fixtures (`{ match, response }`, contract/fake-extensions.ts) and msw handlers
 * from a module of theirs. Both answer before the fake's own handlers; what they do not answer falls through to
 * them. Modes that replace a response (http_error, error_body) apply to what fixtures and handlers answer as to the
 * fake's own answers; Toxiproxy faults apply to everything on the fake's port.
 *
 * Matching: the first fixture whose every given field matches wins: `method` (case-insensitive), `path` (exact, or
 * a prefix ending in `*`), `bodyIncludes` (in the body's text; a JSON body as `JSON.stringify` writes it, so
 * spacing does not matter), `userIncludes` and `model` (model fake: the last user message, case-insensitive; the
 * request's `model`).
 */
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { http, HttpResponse, getResponse, type HttpHandler, type RequestHandler } from 'msw';
import { type Fixture, RESPONSE_MODES, fixturePathMatches } from '../contract/index.ts';
import type { FakeRuntime } from './fake-runtime.ts';
import { replacedResponse } from './http-error-mode.ts';

/** What a fixture is matched against. */
export interface FixtureRequest {
  method: string;
  path: string;
  /** The body's text (JSON re-serialized compactly). */
  body: string;
  /** Model answer endpoints: the last user message. */
  lastUser?: string;
  /** Model answer endpoints: the request's `model`. */
  model?: string;
}

/** The first fixture that matches `request`, or undefined. */
export function matchFixture<F extends Fixture>(fixtures: readonly F[], request: FixtureRequest): F | undefined {
  return fixtures.find(({ match }) => {
    if (match.method !== undefined && match.method.toUpperCase() !== request.method.toUpperCase()) return false;
    if (!fixturePathMatches(match.path, request.path)) return false;
    if (match.bodyIncludes !== undefined && !request.body.includes(match.bodyIncludes)) return false;
    if (match.userIncludes !== undefined && !(request.lastUser ?? '').toLowerCase().includes(match.userIncludes.toLowerCase()))
      return false;
    if (match.model !== undefined && request.model !== match.model) return false;
    return true;
  });
}

/** A body's text for matching: JSON re-serialized compactly, anything else as sent. */
export function comparableBody(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text; // not JSON: matched as sent
  }
}

/** The response a raw fixture gives: its status (default 200), headers and JSON body (none when absent). */
export function fixtureResponse(response: Exclude<Fixture['response'], { content: string }>): Response {
  const status = response.status ?? 200;
  if (response.body === undefined) return new HttpResponse(null, { status, headers: response.headers });
  return HttpResponse.json(response.body, { status, headers: response.headers });
}

/** True when the fixture's response is sent as given (not a model answer's `content`). */
export const isRawFixture = (f: Fixture): f is Fixture & { response: Exclude<Fixture['response'], { content: string }> } =>
  !('content' in f.response);

/**
 * The handler put in front of a fake's own: answers a request matched by a raw fixture or by the user's handlers
 * (then, unless `rolled` says a handler before it rolled them, rolls the response-replacing modes, as the fake's
 * own handlers do), else falls through. `pattern`: the URLs it looks at (default all; under msw's `setupServer`,
 * the fake's `baseUrl` + `/*`).
 */
export function userResponsesHandler(
  fixtures: readonly Fixture[],
  userHandlers: readonly RequestHandler[],
  runtime: FakeRuntime,
  rolled = false,
  pattern = '*',
): HttpHandler {
  const raw = fixtures.filter(isRawFixture);
  return http.all(pattern, async ({ request }) => {
    const url = new URL(request.url);
    const fixture =
      raw.length > 0
        ? matchFixture(raw, { method: request.method, path: url.pathname, body: comparableBody(await request.clone().text()) })
        : undefined;
    const produced = fixture
      ? fixtureResponse(fixture.response)
      : userHandlers.length > 0
        ? await getResponse([...userHandlers], request.clone(), { baseUrl: url.origin })
        : undefined;
    if (produced === undefined) return undefined; // the fake's own handlers answer
    if (rolled) return produced;
    return replacedResponse(runtime.roll(request, { stream: false, accepts: RESPONSE_MODES })) ?? produced;
  });
}

/** Thrown when a handlers module cannot be loaded or does not export handlers (`code` `FAKE_HANDLERS_INVALID`). */
export class FakeHandlersError extends Error {
  readonly code = 'FAKE_HANDLERS_INVALID';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'FakeHandlersError';
  }
}

const isHandler = (v: unknown): v is RequestHandler =>
  typeof v === 'object' && v !== null && typeof (v as { run?: unknown }).run === 'function';

/**
 * Imports a handlers module (path relative to the current directory) and returns its default export, which must
 * be an array of msw handlers; throws {@link FakeHandlersError} saying what is wrong and where.
 */
export async function loadUserHandlers(path: string, where: string): Promise<RequestHandler[]> {
  const absolute = isAbsolute(path) ? path : resolve(process.cwd(), path);
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(absolute).href)) as { default?: unknown };
  } catch (error) {
    throw new FakeHandlersError(`${where}: cannot import ${absolute}: ${(error as Error).message}`, { cause: error });
  }
  const handlers = module.default;
  if (!Array.isArray(handlers) || !handlers.every(isHandler)) {
    throw new FakeHandlersError(
      `${where}: ${absolute} must export default an array of msw handlers (export default [http.get('/path', resolver), ...])`,
    );
  }
  return handlers;
}
