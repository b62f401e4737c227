/**
 * Connects a scenario's resolved load to the load engine (harness/load): maps executors, feeds requests from
 * the seeded sequence, reports progress each second (throughput, error rate and p95 over the last 5 s), and
 * summarizes what the engine counted for reconciliation and harness health.
 */
import { runLoad, type Sample } from '../load/run-load.ts';
import type { ErrorKind } from '../results/result-types.ts';
import type { ResolvedLoad } from '../scenario/index.ts';
import type { LoadRequest, RequestSequence } from './request-source.ts';

export interface LoadProgress {
  elapsed_ms: number;
  rps: number;
  error_rate: number;
  p95_ms: number | null;
}

export interface DrivenSample extends Omit<Sample, 'meta'> {
  meta: LoadRequest['meta'];
}

export interface DriveLoadSummary {
  sent: number;
  /** Arrivals the schedule produced: sent + never sent (still waiting for a connection when load ended). */
  arrivals: number;
  unsent: number;
  interrupted: boolean;
  /** How far measured load got, ms since t0. */
  elapsed_ms: number;
  late: number;
  max_lateness_ms: number;
  /** Of `late`, arrivals that waited for a free connection (every load.connections busy with the SUT). */
  waited_for_connection: number;
  /** Largest lateness of an arrival that found a free connection (the pacer's), ms. */
  pacer_max_lateness_ms: number;
  event_loop_delay_p99_ms: number;
  /** The harness process during load (LoadHealth in harness/load/run-load.ts). */
  event_loop_utilization: number;
  cpu_cores: number;
  cpu_saturated: boolean;
  by_error_kind: Record<ErrorKind, number>;
  notes: string[];
}

const WINDOW_MS = 5000;

export async function driveLoad(o: {
  load: ResolvedLoad;
  url: string;
  sequence: RequestSequence;
  /** Warm-up: `warmup_ms` at the first rate, samples discarded. */
  warmup: boolean;
  /** Passed on to the load engine's own loopback check (the CLI's --allow-remote-target). */
  allowRemoteTarget: boolean;
  signal: AbortSignal;
  onSample: (sample: DrivenSample) => void;
  onStart?: (t0: number) => void;
  onProgress?: (progress: LoadProgress) => void;
}): Promise<DriveLoadSummary> {
  const l = o.load;
  const duration_ms = o.warmup ? l.warmup_ms : l.duration_ms;
  const common = {
    url: o.url,
    allow_remote_target: o.allowRemoteTarget,
    timeout_ms: l.timeout_ms,
    next: () => {
      const r = o.sequence.next();
      return { method: r.method, path: r.path, headers: r.headers, body: r.body, meta: r.meta, sse: r.sse };
    },
    signal: o.signal,
  };
  const recent: Array<{ end: number; latency: number; failed: boolean }> = [];
  const t0 = performance.now();
  let timer: NodeJS.Timeout | undefined;
  if (o.onProgress) {
    timer = setInterval(() => {
      const now = performance.now() - t0;
      while (recent.length && recent[0].end < now - WINDOW_MS) recent.shift();
      const window = Math.min(WINDOW_MS, Math.max(now, 1));
      const latencies = recent.map((r) => r.latency).sort((a, b) => a - b);
      o.onProgress!({
        elapsed_ms: now,
        rps: (recent.length / window) * 1000,
        error_rate: recent.length ? recent.filter((r) => r.failed).length / recent.length : 0,
        p95_ms: latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.95))] : null,
      });
    }, 1000);
  }
  const onSample = (s: Sample) => {
    recent.push({ end: s.end_ms, latency: s.latency_ms, failed: s.error_kind !== null });
    o.onSample(s as DrivenSample);
  };
  o.onStart?.(t0);
  try {
    const summary = await (l.executor === 'constant-vus'
      ? runLoad({ ...common, executor: 'constant-vus', connections: l.vus, duration_ms, t0, onSample })
      : l.executor === 'constant-arrival-rate' || o.warmup
        ? runLoad({
            ...common,
            executor: 'constant-arrival-rate',
            rate: l.executor === 'constant-arrival-rate' ? l.rate : Math.max(1, l.startRate || l.stages[0].target),
            connections: l.connections,
            duration_ms,
            t0,
            onSample,
          })
        : runLoad({
            ...common,
            executor: 'ramping-arrival-rate',
            start_rate: l.startRate,
            stages: l.stages,
            connections: l.connections,
            duration_ms,
            t0,
            onSample,
          }));
    const notes: string[] = [];
    if (summary.unsent)
      notes.push(
        `${summary.unsent} ${summary.unsent === 1 ? 'arrival was' : 'arrivals were'} still waiting for a free connection when load ended (never sent)`,
      );
    const cl = summary.closed_loop;
    if (cl && cl.uncorrected.count > 0)
      notes.push(
        `closed loop: p99 ${cl.uncorrected.p99_ms} ms as measured, ${cl.corrected.p99_ms} ms corrected for coordinated omission (wrk's correction, expected interval ${cl.expected_interval_ms.toFixed(3)} ms)`,
      );
    if (summary.interrupted)
      notes.push(
        `${summary.interrupted} ${summary.interrupted === 1 ? 'request was' : 'requests were'} in flight when load stopped (no sample)`,
      );
    return {
      sent: summary.sent,
      arrivals: summary.arrivals,
      unsent: summary.unsent,
      interrupted: summary.aborted,
      elapsed_ms: summary.aborted ? summary.started_ms + summary.duration_ms : duration_ms,
      late: summary.late.count,
      max_lateness_ms: Math.round(summary.late.max_ms * 1000) / 1000,
      waited_for_connection: summary.late.waited_for_connection,
      pacer_max_lateness_ms: Math.round(summary.late.pacer_max_ms * 1000) / 1000,
      event_loop_delay_p99_ms: Math.round(summary.health.event_loop_delay_p99_ms * 100) / 100,
      event_loop_utilization: Math.round(summary.health.event_loop_utilization * 1000) / 1000,
      cpu_cores: Math.round(summary.health.cpu_cores * 1000) / 1000,
      cpu_saturated: summary.health.cpu_saturated,
      by_error_kind: summary.by_error_kind,
      notes,
    };
  } finally {
    if (timer) clearInterval(timer);
  }
}
