/**
 * The control API of a fakes process (loopback only, JSON; errors in the provider shape):
 *
 * - `PUT /fakes/:name/modes/:id` body = a mode → 204 (adds or replaces); 400 for an invalid mode or one that
 *   does not apply to that fake's kind (`code: "mode_not_applicable"`); 404 for an unknown fake.
 * - `DELETE /fakes/:name/modes/:id` → 204; `DELETE /fakes/:name/modes` → 204 (all).
 * - `GET /fakes/:name/modes` → `{"modes": {"<id>": mode}}` (extension).
 * - `GET /fakes/:name/stats` → {@link FakeStats}; `GET /fakes/:name/log?since=<seq>` → {@link LogPage}.
 * - `GET /health` → `{"ok": true, "event_loop_delay_p99_ms": x, "refused_control_requests": n}` (p99 since start
 *   or the last `?reset=1`; n: control requests refused for a missing or wrong token).
 *
 * Every request must carry `Authorization: Bearer <token>` when the guard has one (401 otherwise): control-guard.ts.
 */
import type { ELDHistogram } from 'node:perf_hooks';
import { http, HttpResponse, type HttpHandler } from 'msw';
import { type FakeStats, type FakesHealth, type LogPage, type ModesPage, validateMode } from '../contract/index.ts';
import type { ControlGuard } from './control-guard.ts';
import type { FakeRuntime } from './fake-runtime.ts';
import { providerError, readJsonObject } from './provider-error.ts';

const MODE_ID = /^[A-Za-z0-9_.-]{1,64}$/;

/** Builds the control API over the runtimes of the running fakes, by name. */
export function controlHandlers(runtimes: ReadonlyMap<string, FakeRuntime>, loopDelay: ELDHistogram, guard: ControlGuard): HttpHandler[] {
  const noContent = () => new HttpResponse(null, { status: 204 });
  const withFake = (name: unknown, then: (runtime: FakeRuntime) => Response | Promise<Response>) => {
    const runtime = runtimes.get(String(name));
    if (!runtime) {
      return providerError({
        status: 404,
        message: `No fake named '${String(name)}'. Running fakes: ${[...runtimes.keys()].join(', ')}.`,
        param: 'name',
        code: 'unknown_fake',
      });
    }
    return then(runtime);
  };
  return [
    guard.handler(),
    http.put('/fakes/:name/modes/:id', ({ request, params }) =>
      withFake(params.name, async (runtime) => {
        const id = String(params.id);
        if (!MODE_ID.test(id)) {
          return providerError({
            status: 400,
            message: `Mode id '${id}' must match [A-Za-z0-9_.-]{1,64}.`,
            param: 'id',
            code: 'invalid_mode',
          });
        }
        const body = await readJsonObject(request);
        if (body instanceof Response) return body;
        const result = validateMode(body, runtime.kind);
        if (!result.ok) {
          return providerError({
            status: 400,
            message: `Invalid mode '${id}' for fake '${runtime.name}': ${result.problems.join('; ')}.`,
            param: result.notApplicable ? 'kind' : null,
            code: result.notApplicable ? 'mode_not_applicable' : 'invalid_mode',
          });
        }
        runtime.setMode(id, result.mode);
        return noContent();
      }),
    ),
    http.delete('/fakes/:name/modes/:id', ({ params }) =>
      withFake(params.name, (runtime) => {
        runtime.deleteMode(String(params.id));
        return noContent();
      }),
    ),
    http.delete('/fakes/:name/modes', ({ params }) =>
      withFake(params.name, (runtime) => {
        runtime.clearModes();
        return noContent();
      }),
    ),
    http.get('/fakes/:name/modes', ({ params }) =>
      withFake(params.name, (runtime) => HttpResponse.json({ modes: runtime.modes() } satisfies ModesPage)),
    ),
    http.get('/fakes/:name/stats', ({ params }) =>
      withFake(params.name, (runtime) => HttpResponse.json(runtime.stats() satisfies FakeStats)),
    ),
    http.get('/fakes/:name/log', ({ request, params }) =>
      withFake(params.name, (runtime) => {
        const sinceText = new URL(request.url).searchParams.get('since') ?? '0';
        const since = Number(sinceText);
        if (!Number.isInteger(since) || since < 0) {
          return providerError({
            status: 400,
            message: `since must be an integer >= 0, got '${sinceText}'.`,
            param: 'since',
            code: 'invalid_value',
          });
        }
        return HttpResponse.json(runtime.log(since) satisfies LogPage);
      }),
    ),
    http.get('/health', ({ request }) => {
      const p99 = loopDelay.count > 0 ? loopDelay.percentile(99) / 1e6 : 0;
      if (new URL(request.url).searchParams.get('reset') === '1') loopDelay.reset();
      return HttpResponse.json({ ok: true, event_loop_delay_p99_ms: p99, refused_control_requests: guard.refused() } satisfies FakesHealth);
    }),
  ];
}
