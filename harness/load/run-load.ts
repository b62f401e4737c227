/**
 * Drives load at the SUT and reports every request as one sample.
 *
 * Design (the smallest correct one found after reading autocannon 9.0.0's lib/run.js, lib/httpClient.js
 * and lib/requestIterator.js): run.js is not used. Its aggregation is what is wrong (whole-millisecond
 * histograms, `overallRate` sending each second's quota in a burst at the start of the second, a
 * coordinated-omission correction that assumes a per-connection rate) and `workers` mode drops ESM
 * callbacks. httpClient.js is the engine worth keeping (keep-alive connection, request builder, response
 * parser, reconnects), and its miscounting lives there, so engine-client.ts subclasses it at run time (pinned to
 * autocannon 9.0.0), fixes it there and adds a manual mode: `client.send(request)` sends exactly one request, and every request
 * ends in exactly one 'settled' event carrying nanosecond start / first byte / end stamps and, on failure, an
 * error kind. This file owns the scheduling: `connections` manual clients, one request in flight each.
 *   - constant-vus (closed model): each client sends its next request as soon as the previous one settles.
 *   - constant-arrival-rate / ramping-arrival-rate (open model): createArrivalSchedule gives each arrival's
 *     instant (gap 1 / rate, linear ramps like k6) and createArrivalPacer fires it on time. An arrival takes
 *     an idle client; when none is idle it waits in FIFO order and is counted late. Its sample's `start_ms`
 *     is the intended instant, so latency includes the wait (no coordinated omission).
 * Requests that a failing connection held end as `reset` / `closed` / `timeout` / `refused` samples with
 * their own latency; clients whose connections never answer reconnect with backoff (10 ms to 1 s).
 * A response with `content-type: text/event-stream` also gets `stream` (stream-summary.ts): token events timed
 * by the arrival of the body chunk that completed them (engine-client's `bodyChunks`), read with the request's rule.
 *
 * Shapes: `runLoad(options: RunLoadOptions): Promise<LoadSummary>`; `onSample(sample: Sample)` is called
 * synchronously, once per finished request, before the promise settles (also when `signal` aborts the run).
 * Defaults: LOAD_DEFAULTS. Times are ms on the performance.now() clock relative to `t0`.
 * @throws ShakedownError LOAD_INVALID (exit 2) for bad options, ENGINE_VERSION (exit 3); rejects with
 *   LOAD_FAILED (exit 3) when the request source or `onSample` throws (samples before it were delivered).
 */
import { createHistogram, monitorEventLoopDelay, performance as perf } from 'node:perf_hooks';
import { ShakedownError } from '../errors.ts';
import type { ErrorKind } from '../results/result-types.ts';
import { createArrivalPacer } from './arrival-pacer.ts';
import { createArrivalSchedule } from './arrival-schedule.ts';
import { createOmissionCorrection, expectedIntervalMs, type ClosedLoopLatency } from './omission-correction.ts';
import { createEngineClient, type EngineClient, type SettledResponse } from './engine-client.ts';
import { resolveLoadOptions, type RunLoadOptions, type SourceRequest } from './load-options.ts';
import type { Sample } from './sample.ts';
import { isEventStream, SSE_RULE_DEFAULTS, summarizeStream, type SseRule, type StreamSample } from './stream-summary.ts';

export type { RateStage } from './arrival-schedule.ts';
export { LOAD_DEFAULTS, type RunLoadOptions, type SourceRequest } from './load-options.ts';
export type { SseRule, StreamSample } from './stream-summary.ts';
export type { Sample } from './sample.ts';

export interface LoadSummary {
  executor: RunLoadOptions['executor'];
  /** Start of load relative to t0, and time from it until the last sample settled (or the abort). */
  started_ms: number;
  duration_ms: number;
  aborted: boolean;
  /** Arrivals the schedule produced (open model); equals `sent` for constant-vus. arrivals = sent + unsent. */
  arrivals: number;
  sent: number;
  /** Samples delivered. sent = completed + interrupted. */
  completed: number;
  ok: number;
  by_error_kind: Record<ErrorKind, number>;
  /** Arrivals still waiting for a free connection when load ended (never sent, no sample). */
  unsent: number;
  /** Requests in flight when the run was aborted or the drain deadline passed (no sample). */
  interrupted: number;
  /**
   * Arrivals that waited for a free connection or went out over LATE_TOLERANCE_MS after their instant; max_ms is
   * the largest lateness of any arrival; p50_ms / p99_ms are percentiles of send − intended instant over every
   * arrival sent (µs resolution; 0 for constant-vus, which has no intended instants).
   */
  late: {
    count: number;
    max_ms: number;
    p50_ms: number;
    p99_ms: number;
    /** Of `count`, arrivals that found every connection busy and waited for one (the SUT's pace, not the pacer's). */
    waited_for_connection: number;
    /** Largest lateness of an arrival that found a free connection: the pacer's own lateness. */
    pacer_max_ms: number;
  };
  /**
   * constant-vus only (null otherwise): latency percentiles as measured and corrected for coordinated omission
   * the way wrk does (omission-correction.ts). Samples keep the measured latency; this is the honest p99 of a
   * closed loop whose server paused.
   */
  closed_loop: ClosedLoopLatency | null;
  /** The load generator's own health while it ran; high values make the latencies suspect. */
  health: LoadHealth;
}

/**
 * The harness process while load ran. `event_loop_utilization` is the share of wall time its (single) event loop
 * was busy (Node's performance.eventLoopUtilization); `cpu_cores` is process CPU time (user + system, all
 * threads) over wall time, so 1 means one full core. `cpu_saturated` is true when the loop was busy at least
 * SATURATED_UTILIZATION of the time overall or in at least a fifth of the seconds: then sends and receive
 * stamps queue behind the harness's own work and latencies and pacing cannot be trusted.
 */
export interface LoadHealth {
  event_loop_delay_p99_ms: number;
  event_loop_delay_max_ms: number;
  event_loop_utilization: number;
  /** The busiest whole second's event-loop utilization. */
  event_loop_utilization_max: number;
  cpu_cores: number;
  cpu_saturated: boolean;
}

/** Event-loop utilization at or over which the harness counts as saturated. */
export const SATURATED_UTILIZATION = 0.9;

/** An arrival sent later than this after its instant counts as late even if a connection was free. */
export const LATE_TOLERANCE_MS = 10;
/** After load ends, requests in flight get timeout_ms plus this (one full reconnect backoff) to settle. */
const DRAIN_GRACE_MS = 1100;
const ELD_RESOLUTION_MS = 10;

interface Slot {
  client: EngineClient;
  current: { id: number; due: number | null; meta: unknown; sse: SseRule | undefined } | null;
}

export function runLoad(options: RunLoadOptions): Promise<LoadSummary> {
  const { url, base_path, duration_ms, timeout_ms, connections, body_cap, schedule } = resolveLoadOptions(options);
  const open = schedule !== null;
  const monitor = monitorEventLoopDelay({ resolution: ELD_RESOLUTION_MS });
  let start = performance.now(); // reset once the clients exist, so their setup does not make arrivals late
  let t0 = options.t0 ?? start;
  let base_ns = process.hrtime.bigint();
  const toMs = (ns: bigint) => start + Number(ns - base_ns) / 1e6 - t0;

  const by_error_kind: Record<ErrorKind, number> = { timeout: 0, reset: 0, refused: 0, closed: 0, http_4xx: 0, http_5xx: 0 };
  const late = { count: 0, max_ms: 0, p50_ms: 0, p99_ms: 0, waited_for_connection: 0, pacer_max_ms: 0 };
  const omission = open ? null : createOmissionCorrection();
  const lateness_us = createHistogram();
  let elu_start = perf.eventLoopUtilization();
  let elu_last = elu_start;
  let cpu_start = process.cpuUsage();
  const elu_seconds: number[] = [];
  let elu_timer: NodeJS.Timeout | null = null;
  let arrivals = 0,
    sent = 0,
    completed = 0,
    ok = 0,
    unsent = 0,
    interrupted = 0,
    last_id = 0;
  let stopping = false,
    finished = false,
    aborted = false,
    last_end = start,
    stopped_at = start;
  let failure: unknown = null;
  // due instants of arrivals that found no idle client, a FIFO read from `waiting_head` (Array.shift is O(n): at
  // 100,000 req/s against busy connections the queue holds ~10^5 entries)
  const waiting: number[] = [];
  let waiting_head = 0;
  const idle: Slot[] = [];
  const slots: Slot[] = [];
  let pacer: { stop(): void } | null = null;
  let end_timer: NodeJS.Timeout | null = null;
  let drain_timer: NodeJS.Timeout | null = null;

  return new Promise<LoadSummary>((resolve, reject) => {
    const finish = () => {
      if (finished) return;
      finished = true;
      pacer?.stop();
      if (end_timer) clearTimeout(end_timer);
      if (drain_timer) clearTimeout(drain_timer);
      if (elu_timer) clearInterval(elu_timer);
      options.signal?.removeEventListener('abort', onAbort);
      unsent += waiting.length - waiting_head;
      waiting.length = waiting_head = 0;
      for (const slot of slots) {
        if (slot.current) interrupted++;
        slot.client.destroy();
      }
      monitor.disable();
      if (failure) return reject(failure);
      const wall_ms = performance.now() - start;
      const elu = perf.eventLoopUtilization(elu_start).utilization;
      const cpu = process.cpuUsage(cpu_start);
      const elu_max = elu_seconds.reduce((a, b) => Math.max(a, b), 0);
      const busy_seconds = elu_seconds.filter((u) => u >= SATURATED_UTILIZATION).length;
      if (lateness_us.count > 0) {
        late.p50_ms = lateness_us.percentile(50) / 1000;
        late.p99_ms = lateness_us.percentile(99) / 1000;
      }
      resolve({
        executor: options.executor,
        started_ms: start - t0,
        duration_ms: (aborted ? performance.now() : Math.max(stopped_at, last_end)) - start,
        aborted,
        arrivals: open ? arrivals : sent,
        sent,
        completed,
        ok,
        by_error_kind,
        unsent,
        interrupted,
        late,
        closed_loop: omission ? omission.summarize(expectedIntervalMs(wall_ms, completed, connections)) : null,
        // Node's histogram holds the intervals between ticks ELD_RESOLUTION_MS apart: the delay is the excess
        health: {
          event_loop_delay_p99_ms: Math.max(0, monitor.percentile(99) / 1e6 - ELD_RESOLUTION_MS),
          event_loop_delay_max_ms: Math.max(0, monitor.max / 1e6 - ELD_RESOLUTION_MS),
          event_loop_utilization: elu,
          event_loop_utilization_max: elu_max,
          cpu_cores: wall_ms > 0 ? (cpu.user + cpu.system) / 1000 / wall_ms : 0,
          cpu_saturated: elu >= SATURATED_UTILIZATION || (elu_seconds.length > 0 && busy_seconds >= Math.max(1, elu_seconds.length / 5)),
        },
      });
    };
    const fail = (code: string, what: string, cause: unknown) => {
      failure ??= new ShakedownError(
        code,
        `${what} threw: ${(cause as Error)?.message ?? String(cause)}. Load stopped; the samples before it were delivered.`,
        { cause },
      );
      finish();
    };
    const stop = () => {
      if (stopping) return;
      stopping = true;
      stopped_at = performance.now();
      pacer?.stop();
      unsent += waiting.length - waiting_head;
      waiting.length = waiting_head = 0;
      if (slots.every((s) => !s.current)) return finish();
      drain_timer = setTimeout(finish, timeout_ms + DRAIN_GRACE_MS);
    };
    function onAbort() {
      aborted = true;
      finish();
    }

    /** due: the arrival's instant (open model) or null; queued: it already waited, and was counted late. */
    const send = (slot: Slot, due: number | null, queued = false) => {
      let request: SourceRequest;
      try {
        request = options.next();
      } catch (error) {
        return fail('LOAD_FAILED', 'The request source', error);
      }
      const id = ++last_id;
      const headers = { ...request.headers };
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'x-shakedown-sample-id')) headers['x-shakedown-sample-id'] = String(id);
      slot.current = { id, due, meta: request.meta, sse: request.sse };
      try {
        slot.client.send({ method: request.method ?? 'GET', path: base_path + request.path, headers, body: request.body });
      } catch (error) {
        slot.current = null;
        return fail('LOAD_FAILED', `Building request ${request.method ?? 'GET'} ${request.path}`, error);
      }
      sent++;
      if (due !== null) {
        const lateness = performance.now() - due;
        lateness_us.record(Math.max(1, Math.round(lateness * 1000)));
        if (lateness > late.max_ms) late.max_ms = lateness;
        if (!queued && lateness > late.pacer_max_ms) late.pacer_max_ms = lateness;
        if (lateness > LATE_TOLERANCE_MS && !queued) late.count++;
      }
    };

    const release = (slot: Slot) => {
      if (finished) return;
      if (stopping) {
        if (slots.every((s) => !s.current)) finish();
        return;
      }
      if (!open) return send(slot, null);
      if (waiting_head === waiting.length) {
        idle.push(slot);
        return;
      }
      const due = waiting[waiting_head++];
      if (waiting_head === waiting.length || (waiting_head > 4096 && waiting_head * 2 > waiting.length)) {
        waiting.splice(0, waiting_head); // drop what was read, in one move
        waiting_head = 0;
      }
      send(slot, due, true);
    };

    const onSettled = (slot: Slot, response: SettledResponse) => {
      const current = slot.current;
      if (!current || finished) return;
      slot.current = null;
      const sent_ms = toMs(response.startNs);
      const start_ms = current.due === null ? sent_ms : current.due - t0;
      const end_ms = toMs(response.endNs);
      const status = response.headers.statusCode ?? null;
      const error_kind: ErrorKind | null =
        response.error ?? (status !== null && status >= 500 ? 'http_5xx' : status !== null && status >= 400 ? 'http_4xx' : null);
      completed++;
      omission?.record(end_ms - start_ms);
      if (error_kind) by_error_kind[error_kind]++;
      else ok++;
      last_end = Math.max(last_end, end_ms + t0);
      const stream = isEventStream(response.headers.headers)
        ? summarizeStream({
            body: response.body,
            chunks: response.bodyChunks.map(([ns, end]) => ({ t_ms: toMs(ns), end })),
            rule: current.sse ?? SSE_RULE_DEFAULTS,
            start_ms,
            failed: response.error !== null,
          })
        : null;
      const sample: Sample = {
        id: current.id,
        start_ms,
        sent_ms,
        end_ms,
        latency_ms: end_ms - start_ms,
        ttfb_ms: response.firstByteNs === null ? null : toMs(response.firstByteNs) - start_ms,
        status,
        error_kind,
        bytes: response.bytes,
        body: response.body.length > body_cap ? response.body.slice(0, body_cap) : response.body,
        stream,
        meta: current.meta,
      };
      try {
        options.onSample?.(sample);
      } catch (error) {
        return fail('LOAD_FAILED', 'onSample', error);
      }
      release(slot);
    };

    const onArrival = (due: number) => {
      arrivals++;
      let pick = -1;
      for (let i = idle.length - 1; i >= 0; i--) {
        if (!idle[i].client.waiting) {
          pick = i;
          break;
        } // prefer a client that is not waiting to reconnect
      }
      if (pick === -1 && idle.length > 0) pick = idle.length - 1;
      if (pick === -1) {
        waiting.push(due);
        late.count++;
        late.waited_for_connection++;
        return;
      }
      const [slot] = idle.splice(pick, 1);
      send(slot, due);
    };

    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for (let i = 0; i < connections; i++) {
        const slot: Slot = { client: createEngineClient({ url, timeout_ms }), current: null };
        slot.client.on('settled', (response) => onSettled(slot, response));
        slots.push(slot);
      }
    } catch (error) {
      failure = error;
      return finish();
    }
    start = performance.now();
    base_ns = process.hrtime.bigint();
    t0 = options.t0 ?? start;
    last_end = stopped_at = start;
    monitor.enable();
    elu_start = elu_last = perf.eventLoopUtilization();
    cpu_start = process.cpuUsage();
    elu_timer = setInterval(() => {
      const now = perf.eventLoopUtilization();
      elu_seconds.push(perf.eventLoopUtilization(now, elu_last).utilization);
      elu_last = now;
    }, 1000);
    end_timer = setTimeout(stop, duration_ms);
    if (!open) {
      for (const slot of slots) if (!finished) send(slot, null);
      return;
    }
    for (const slot of slots) idle.push(slot); // no spread: 200,000 arguments overflow the stack
    const next = createArrivalSchedule(schedule);
    pacer = createArrivalPacer({
      next: () => {
        const offset = next();
        return offset === null || offset >= duration_ms ? null : offset;
      },
      start_ms: start,
      spin: options.pacer_spin,
      onArrival,
      onEnd: () => {},
    });
  });
}
