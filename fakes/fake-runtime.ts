/**
 * The run-time state of one fake: its active modes, their seeded rolls, and its request log.
 *
 * Handlers call `roll()` once per request; the HTTP adapter calls `observe()` around every request so counters
 * and the log see the status, duration and the mode that was applied.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { createBoundedCache } from './bounded-cache.ts';
import {
  type FakeKind,
  type FakeMode,
  type FakeStats,
  type LogPage,
  type ModeFault,
  type ModeKind,
  RESPONSE_MODES,
  STREAM_ONLY_MODES,
  modeMatchesPath,
  seededRandom,
  validateMode,
} from '../contract/index.ts';
import { type RequestEvidence, createRequestLog } from './request-log.ts';
import { type CountSelector, createCountSelector } from './count-selection.ts';

/**
 * What the runtime reads of a request: a fetch `Request` is one; the HTTP adapter's direct routes pass a lighter
 * object. The runtime keys its per-request state by this object's identity.
 */
export interface RequestHead {
  readonly method: string;
  /** Absolute URL, e.g. `http://127.0.0.1:4010/v1/chat/completions`. */
  readonly url: string;
  readonly headers: Headers;
}

/** A mode picked for one request, with the id it was registered under. */
export interface AppliedMode {
  id: string;
  mode: FakeMode;
  /**
   * The generator of the mode's choices (which sentence to drop, which documents to serve), seeded by run seed +
   * fake name + mode id + `key`. Handlers key it by the request's content, so the same request under the same seed
   * gets the same choices whatever order requests arrive in.
   */
  random(key: string): () => number;
}

/** What `roll()` considers for one request. */
export interface RollOptions {
  /** The request asks for a stream; stream-only modes are rolled only then. */
  stream: boolean;
  /** Mode kinds this endpoint can apply; modes of other kinds are not rolled (default: every kind). */
  accepts?: readonly ModeKind[];
  /** The request body's text, read only by a `when.once_per_request` mode when the request carries no trace id. */
  body?: () => string;
}

/** What the adapter calls when a request ends: the status sent (0 if none). */
export type FinishRequest = (status: number) => void;

export interface FakeRuntime {
  readonly name: string;
  readonly kind: FakeKind;
  /** Adds or replaces the mode `id` (restarting its PRNG sequence). The mode must already be validated. */
  /**
   * Adds or replaces mode `id`: a mode as the factories build it (`mode.httpError({ status: 503 })`) or its wire
   * form (`.mode`). Validated as the control API validates a `PUT`: throws a TypeError listing every problem (a mode
   * kind this fake does not take included), so a mistake in a unit test is never a mode that silently does nothing.
   */
  setMode(id: string, mode: FakeMode | ModeFault): void;
  /** Removes the mode `id`; returns whether it existed. */
  deleteMode(id: string): boolean;
  clearModes(): void;
  modes(): Record<string, FakeMode>;
  /**
   * Rolls every mode that matches this request (path; stream-only modes only when `stream`; kinds in `accepts`;
   * selected by its `when` count), each on its own PRNG, and returns the first hit in priority order http_error and error_body, stream faults,
   * content modes (stale, drop_facts, empty, schema_drift, ...; among equals, the first registered); or null.
   */
  roll(request: RequestHead, options: RollOptions): AppliedMode | null;
  /**
   * Records that mode `id` changed this request though no roll picked it (a `quota` mode refusing it): the log
   * entry's `mode` and `by_mode` count it.
   */
  markApplied(request: RequestHead, id: string): void;
  /** Attaches evidence (`returned_ids`, `cited_ids`) to the request's log entry, written when it ends. */
  record(request: RequestHead, evidence: RequestEvidence): void;
  /** Counts an arriving request and returns the callback that logs it when it ends. */
  observe(request: RequestHead): FinishRequest;
  stats(): FakeStats;
  log(since: number): LogPage;
  /** Counts the TCP connections `server` accepts (opened, open) into `stats().connections`. */
  countConnections(server: Pick<Server, 'on'>): void;
}

export interface FakeRuntimeOptions {
  name: string;
  kind: FakeKind;
  /** Run seed; default 0. */
  seed?: number;
  /** Request log capacity; default 50,000. */
  logCapacity?: number;
}

/** Lower wins when several modes hit one request; kinds not listed are content modes (2). */
const PRIORITY: Partial<Record<ModeKind, number>> = Object.fromEntries([
  ...RESPONSE_MODES.map((kind) => [kind, 0]),
  ...STREAM_ONLY_MODES.map((kind) => [kind, 1]),
]);
const priorityOf = (kind: ModeKind) => PRIORITY[kind] ?? 2;

/** Reads the trace id: the trace-id part of a W3C `traceparent`, else `x-shakedown-sample-id`, else null. */
export function traceIdOf(headers: Headers): string | null {
  const parent = headers.get('traceparent');
  const match = parent ? /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}/i.exec(parent.trim()) : null;
  if (match) return match[1].toLowerCase();
  return headers.get('x-shakedown-sample-id') || null;
}

/** What the log entry of an observed request gets from the handler before it ends. */
interface InFlight {
  mode: string | null;
  evidence: RequestEvidence | undefined;
}

/** Creates the run-time state of one fake. */
export function createFakeRuntime(options: FakeRuntimeOptions): FakeRuntime {
  const seed = options.seed ?? 0;
  const active = new Map<string, { mode: FakeMode; random: () => number; selects: CountSelector }>();
  // Requests observed and not yet ended. A plain Map, emptied as each ends, is cheaper than the WeakMaps this
  // replaced (their entries lived until a GC; B3, issue 5). A request that was never observed (msw setupServer)
  // has no log entry, so its applied mode and evidence have nowhere to go.
  const inFlight = new Map<RequestHead, InFlight>();
  // Request URLs repeat (a fake serves a few paths), so their paths are parsed once.
  const paths = createBoundedCache<string>({ capacity: 256, maxKeyLength: 2048 });
  const pathOf = (url: string) => paths.get(url, (u) => new URL(u).pathname);
  const log = createRequestLog(options.logCapacity);
  let connections: { opened: number; open: number } | undefined;
  return {
    name: options.name,
    kind: options.kind,
    setMode(id, given) {
      const checked = validateMode('kind' in given && given.kind === 'mode' && 'mode' in given ? given.mode : given, options.kind);
      if (!checked.ok)
        throw new TypeError(`setMode('${id}') on the ${options.name} fake (${options.kind}): ${checked.problems.join('; ')}`);
      const mode = checked.mode;
      active.set(id, { mode, random: seededRandom(seed, options.name, id), selects: createCountSelector(mode.when) });
    },
    deleteMode: (id) => active.delete(id),
    clearModes: () => active.clear(),
    modes: () => Object.fromEntries([...active].map(([id, entry]) => [id, entry.mode])),
    roll(request, { stream, accepts, body }) {
      if (active.size === 0) return null;
      const path = pathOf(request.url);
      let best: AppliedMode | null = null;
      for (const [id, entry] of active) {
        const { mode } = entry;
        if (!modeMatchesPath(mode, path)) continue;
        if (!stream && STREAM_ONLY_MODES.includes(mode.kind)) continue;
        if (accepts && !accepts.includes(mode.kind)) continue;
        const selected =
          mode.when === undefined ||
          entry.selects({ method: request.method, url: request.url, path, traceId: traceIdOf(request.headers), body });
        const hit = entry.random() < mode.rate && selected;
        if (hit && (best === null || priorityOf(mode.kind) < priorityOf(best.mode.kind))) {
          best = { id, mode, random: (key) => seededRandom(seed, options.name, id, 'choice', key) };
        }
      }
      if (best) {
        const state = inFlight.get(request);
        if (state) state.mode = best.id;
        log.modeApplied(best.id);
      }
      return best;
    },
    markApplied(request, id) {
      const state = inFlight.get(request);
      if (state) state.mode = id;
      log.modeApplied(id);
    },
    record(request, fields) {
      const state = inFlight.get(request);
      if (state) state.evidence = { ...state.evidence, ...fields };
    },
    observe(request) {
      const started = performance.now();
      const path = pathOf(request.url);
      log.arrived(path);
      const state: InFlight = { mode: null, evidence: undefined };
      inFlight.set(request, state);
      let done = false;
      return (status) => {
        if (done) return;
        done = true;
        inFlight.delete(request);
        log.finished({
          t_ms: performance.timeOrigin + started,
          method: request.method,
          path,
          status,
          duration_ms: performance.now() - started,
          mode: state.mode,
          trace_id: traceIdOf(request.headers),
          ...state.evidence,
        });
      };
    },
    stats: () => (connections ? { ...log.stats(), connections: { ...connections } } : log.stats()),
    log: (since) => log.page(since),
    countConnections(server) {
      const counts = (connections ??= { opened: 0, open: 0 });
      server.on('connection', (socket: Socket) => {
        counts.opened++;
        counts.open++;
        socket.once('close', () => counts.open--);
      });
    },
  };
}
