/**
 * Starts every fake of a config on its own port (default `127.0.0.1:0`, or the config's `host` and fixed
 * `fakes.<name>.port`), plus one control server (`control_port`), in this process.
 * `serve.ts` runs this in the fakes child process; tests and users may call it directly.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { HttpHandler, RequestHandler } from 'msw';
import { createControlGuard } from './control-guard.ts';
import { controlHandlers } from './control-handlers.ts';
import { customFakeHandlers } from './custom-fake.ts';
import { isRawFixture, loadUserHandlers, userResponsesHandler } from './fixtures.ts';
import { type FakeKind, DEFAULT_FAKES_HOST, type FakeSpec, type FakesConfig } from '../contract/index.ts';
import { type FakeRuntime, createFakeRuntime } from './fake-runtime.ts';
import { validateFakesConfig } from './fakes-config.ts';
import type { HandlerContext } from './handler-context.ts';
import { type ServedHandlers, serveHandlers } from './http-adapter.ts';
import { inventoryHandlers } from './inventory-handlers.ts';
import type { DirectRoute } from './direct-route.ts';
import { createModelFake } from './model-handlers.ts';
import { retrievalHandlers } from './retrieval-handlers.ts';

/** One running fake. */
export interface RunningFake {
  kind: FakeKind;
  /** `http://127.0.0.1:P` */
  url: string;
  runtime: FakeRuntime;
}

/** The running fakes process (or in-process fakes). `close()` stops every server and drops held-open streams. */
export interface RunningFakes {
  control_url: string;
  fakes: Record<string, RunningFake>;
  /** Sets the control API's token: from then on every control request must carry `Authorization: Bearer <token>`. */
  setControlToken(token: string): void;
  close(): Promise<void>;
}

/**
 * Thrown when a fake or the control server cannot listen (`code` `FAKES_LISTEN_FAILED`), e.g.
 * `fake 'model' cannot listen on 127.0.0.1:4010: address in use (...)`.
 */
export class FakesListenError extends Error {
  readonly code = 'FAKES_LISTEN_FAILED';
  /** `host:port` that could not be bound. */
  readonly address: string;
  constructor(what: string, host: string, port: number, cause: NodeJS.ErrnoException, hint: string) {
    const reason =
      cause.code === 'EADDRINUSE'
        ? 'address in use'
        : cause.code === 'EADDRNOTAVAIL'
          ? 'address not available on this machine'
          : cause.message;
    super(`${what} cannot listen on ${host}:${port}: ${reason} (${hint})`, { cause });
    this.name = 'FakesListenError';
    this.address = `${host}:${port}`;
  }
}

async function listen(
  what: string,
  hint: string,
  handlers: HttpHandler[],
  options: Parameters<typeof serveHandlers>[1] & { host: string; port: number },
): Promise<ServedHandlers> {
  try {
    return await serveHandlers(handlers, options);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code))
      throw new FakesListenError(what, options.host, options.port, error as NodeJS.ErrnoException, hint);
    throw error;
  }
}

/**
 * Builds the msw handlers of one fake spec (throws `DatasetError` when a dataset file is unusable), with the
 * user's own handlers (`options.handlers`, already imported with `loadUserHandlers`) and fixtures in front.
 */
export function createFakeHandlers(
  spec: FakeSpec,
  context: HandlerContext = {},
  userHandlers: readonly RequestHandler[] = [],
): HttpHandler[] {
  return createServedFake(spec, context, userHandlers).handlers;
}

/** Builds one fake for a port: its msw handlers and the routes the adapter answers without msw. */
function createServedFake(
  spec: FakeSpec,
  context: HandlerContext,
  userHandlers: readonly RequestHandler[],
): { handlers: HttpHandler[]; direct: DirectRoute[] } {
  // One runtime for the fake's own handlers and the user's responses in front of them.
  const ctx = { ...context, runtime: context.runtime ?? createFakeRuntime({ name: spec.kind, kind: spec.kind }) };
  if (spec.kind === 'custom') return { handlers: customFakeHandlers(spec.options, userHandlers, ctx), direct: [] };
  if (spec.kind === 'model') return createModelFake(spec.options, ctx, userHandlers);
  const own = spec.kind === 'retrieval' ? retrievalHandlers(spec.options, ctx) : inventoryHandlers(spec.options, ctx);
  const raw = (spec.options?.fixtures ?? []).filter(isRawFixture);
  if (raw.length === 0 && userHandlers.length === 0) return { handlers: own, direct: [] };
  const base = context.baseUrl?.replace(/\/+$/, '') ?? '';
  return { handlers: [userResponsesHandler(raw, userHandlers, ctx.runtime, false, `${base}/*`), ...own], direct: [] };
}

/**
 * Validates `config` (throws `FakesConfigError`), then starts the fakes and the control server; throws
 * {@link FakesListenError} when a port cannot be bound (everything already started is closed first).
 * `options.controlToken`: the control API's token (a string: required from the start; null: every control
 * request refused until `setControlToken()`; left out: open, as for tests and in-process use).
 */
export async function startFakes(config: FakesConfig, options: { controlToken?: string | null } = {}): Promise<RunningFakes> {
  const valid = validateFakesConfig(config);
  const seed = valid.seed ?? 0;
  const host = valid.host ?? DEFAULT_FAKES_HOST;
  const runtimes = new Map<string, FakeRuntime>();
  const userHandlers = new Map<string, RequestHandler[]>();
  for (const [name, spec] of Object.entries(valid.fakes)) {
    const path = spec.options?.handlers;
    if (path !== undefined) userHandlers.set(name, await loadUserHandlers(path, `fakes.${name}.options.handlers`));
  }
  const prepared = Object.entries(valid.fakes).map(([name, spec]) => {
    const runtime = createFakeRuntime({ name, kind: spec.kind, seed });
    runtimes.set(name, runtime);
    return { name, spec, runtime, ...createServedFake(spec, { runtime }, userHandlers.get(name) ?? []) };
  });
  const guard = createControlGuard(options.controlToken);
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const servers: ServedHandlers[] = [];
  const close = async () => {
    loopDelay.disable();
    const results = await Promise.allSettled(servers.map((s) => s.close()));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length > 0)
      throw new AggregateError(
        failed.map((f) => f.reason),
        'Some fake servers failed to close',
      );
  };
  try {
    const fakes: Record<string, RunningFake> = {};
    for (const { name, spec, runtime, handlers, direct } of prepared) {
      const port = spec.port ?? 0;
      const served = await listen(`fake '${name}'`, `set another fakes.${name}.port, or 0 for any free port`, handlers, {
        host,
        port,
        maxBodyBytes: valid.max_body_bytes,
        bodyTimeoutMs: valid.body_timeout_ms,
        observe: runtime.observe,
        direct,
      });
      servers.push(served);
      runtime.countConnections(served.server);
      fakes[name] = { kind: spec.kind, url: served.url, runtime };
    }
    const control = await listen(
      'the fakes control server',
      'set another control_port, or 0 for any free port',
      controlHandlers(runtimes, loopDelay, guard),
      {
        host,
        port: valid.control_port ?? 0,
        maxBodyBytes: 64 * 1024, // modes are small
        bodyTimeoutMs: valid.body_timeout_ms,
      },
    );
    servers.push(control);
    return { control_url: control.url, fakes, close, setControlToken: (token) => guard.setToken(token) };
  } catch (error) {
    await close().catch((closeError: unknown) => {
      throw new AggregateError([error, closeError], `Failed to start fakes: ${(error as Error).message}`);
    });
    throw error;
  }
}
