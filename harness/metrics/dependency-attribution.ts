/**
 * Dependency attribution: which dependency the SUT's latency went to. Two views, both from the fakes' request
 * logs: per dependency and phase, the calls, errors and durations as the fake saw them (`duration_ms`: arrival
 * to end of response, so network faults on the proxy do not show here); and, for samples whose trace id the
 * SUT forwarded, the time of each sample spent waiting on each dependency (`attributeLatency`), summed per phase
 * into shares of the SUT's latency. Pure; memory is bounded (HDR histograms and sums).
 */
import { createLatencyHistogram, percentileMs, recordLatency, type LatencyHistogram } from './latency-histogram.ts';

/** One call a fake logged, with its arrival as epoch ms. */
export interface DependencyCall {
  dependency: string;
  arrival_epoch_ms: number;
  duration_ms: number;
  status: number;
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;
const r4 = (x: number) => Math.round(x * 10_000) / 10_000;

/**
 * Splits a sample's time [start, end) among the dependency calls made for it. A call counts as in flight from
 * its arrival at the fake until the SUT could next act on its answer: the arrival of the first later call that
 * started after the fake finished it, else the sample's end (so a response delayed on the way back, by a
 * latency toxic, is charged to that dependency). At each instant the time goes to the calls still being served
 * by their fake if there are any, else to every call in flight, in equal shares; time with no call in flight
 * (the SUT's own work, queueing) goes to no dependency.
 * @returns ms per dependency name (dependencies without calls are absent), rounded to 0.001 ms
 */
export function attributeLatency(start_epoch_ms: number, end_epoch_ms: number, calls: readonly DependencyCall[]): Record<string, number> {
  const spans = calls
    .map((c) => {
      const done = c.arrival_epoch_ms + c.duration_ms;
      let until = end_epoch_ms;
      for (const o of calls) if (o.arrival_epoch_ms >= done && o.arrival_epoch_ms < until) until = o.arrival_epoch_ms;
      const from = Math.max(start_epoch_ms, c.arrival_epoch_ms);
      return { dependency: c.dependency, from, busyUntil: Math.min(done, end_epoch_ms), until: Math.min(until, end_epoch_ms) };
    })
    .filter((s) => s.until > s.from);
  const points = [...new Set(spans.flatMap((s) => [s.from, s.busyUntil, s.until]))].sort((a, b) => a - b);
  const out: Record<string, number> = {};
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, b] = [points[i], points[i + 1]];
    const open = spans.filter((s) => s.from <= a && s.until >= b);
    if (!open.length) continue;
    const busy = open.filter((s) => s.busyUntil >= b);
    const share = busy.length ? busy : open;
    for (const s of share) out[s.dependency] = (out[s.dependency] ?? 0) + (b - a) / share.length;
  }
  for (const k of Object.keys(out)) out[k] = r3(out[k]);
  return out;
}

/** Per phase: the SUT's latency next to each dependency as its fake saw it, and the per-request shares. */
export interface PhaseAttribution {
  phase: string;
  /** Calls each fake logged that arrived during the phase: count, failures (status 0 or ≥ 400), durations. */
  dependencies: Record<string, { calls: number; errors: number; error_rate: number | null; p50_ms: number | null; p95_ms: number | null }>;
  /** Samples of the phase whose trace id reached at least one fake. */
  traced_samples: number;
  /** Mean SUT latency of those samples, ms. */
  traced_mean_ms: number | null;
  /** Per dependency: its attributed time summed over traced samples / their latency summed; `other` the rest. */
  share_of_sut_latency: Record<string, number>;
}

export interface DependencyAttribution {
  add(call: DependencyCall, phase: string | null): void;
  addSample(phase: string, latency_ms: number, ms: Record<string, number>): void;
  finish(): PhaseAttribution[];
}

export function createDependencyAttribution(phases: readonly string[], dependencies: readonly string[]): DependencyAttribution {
  type Acc = { calls: number; errors: number; h: LatencyHistogram };
  const fake = new Map(
    phases.map((p) => [
      p,
      new Map(dependencies.map((d) => [d, { calls: 0, errors: 0, h: createLatencyHistogram({ compact: true }) } as Acc])),
    ]),
  );
  const traced = new Map(
    phases.map((p) => [p, { samples: 0, latency: 0, ms: Object.fromEntries(dependencies.map((d) => [d, 0])) as Record<string, number> }]),
  );
  return {
    add(call, phase) {
      const acc = phase === null ? undefined : fake.get(phase)?.get(call.dependency);
      if (!acc) return;
      acc.calls++;
      if (call.status === 0 || call.status >= 400) acc.errors++;
      recordLatency(acc.h, call.duration_ms);
    },
    addSample(phase, latency_ms, ms) {
      const t = traced.get(phase);
      if (!t) return;
      t.samples++;
      t.latency += latency_ms;
      for (const [d, v] of Object.entries(ms)) if (d in t.ms) t.ms[d] += v;
    },
    finish() {
      return phases.map((p) => {
        const deps: PhaseAttribution['dependencies'] = {};
        for (const [d, a] of fake.get(p)!) {
          deps[d] = {
            calls: a.calls,
            errors: a.errors,
            error_rate: a.calls ? r4(a.errors / a.calls) : null,
            p50_ms: a.calls ? percentileMs(a.h, 50) : null,
            p95_ms: a.calls ? percentileMs(a.h, 95) : null,
          };
        }
        const t = traced.get(p)!;
        const share: Record<string, number> = {};
        if (t.latency > 0) {
          let sum = 0;
          for (const [d, v] of Object.entries(t.ms)) {
            share[d] = r4(v / t.latency);
            sum += v;
          }
          share.other = r4(Math.max(0, 1 - sum / t.latency));
        }
        return {
          phase: p,
          dependencies: deps,
          traced_samples: t.samples,
          traced_mean_ms: t.samples ? r3(t.latency / t.samples) : null,
          share_of_sut_latency: share,
        };
      });
    },
  };
}
