/**
 * Joins the fakes' request logs to the samples while the run goes on, so grounding and per-request attribution
 * see what each request really caused, with bounded memory. Every `pollMs` it reads each fake's new log entries
 * (`GET /fakes/:name/log?since=`), keeps the calls of each trace id, and holds each finished sample until a
 * poll that began `graceMs` after the sample ended has been read; then it hands the sample over with its
 * evidence and forgets that trace id. Calls no sample claims (warm-up, calls that outlive their sample) are
 * dropped after `forgetMs`. Reading the log during the run also keeps the fakes' 50,000-entry rings from
 * losing entries on long runs.
 */
import {
  attributeLatency,
  createDependencyAttribution,
  type DependencyCall,
  type PhaseAttribution,
} from '../metrics/dependency-attribution.ts';
import type { SampleEvidence } from '../scoring/answer-checks.ts';
import type { FakeLogEntry } from './fakes-process.ts';

export interface EvidenceJoinOptions<T> {
  /** Dependency name → fake kind. */
  dependencies: Record<string, { kind: string }>;
  seed: number;
  phases: readonly string[];
  phaseOf: (ms_since_t0: number) => string;
  readLog: (dependency: string, since: number) => Promise<{ entries: FakeLogEntry[]; dropped: number }>;
  /** Called once per pushed sample, in push order, with its evidence (null when no fake logged its trace id). */
  release: (item: T, evidence: SampleEvidence | null) => void;
  pollMs?: number;
  graceMs?: number;
  forgetMs?: number;
}

export interface EvidenceJoin<T> {
  /** Starts polling; `t0` is performance.now() at the start of measured load, `t0Epoch` Date.now() then. */
  start(t0: number, t0Epoch: number): void;
  /** A finished sample: its trace key, start and end (ms since t0), phase and latency. */
  push(sample: { key: number; start_ms: number; end_ms: number; phase: string; latency_ms: number }, item: T): void;
  /** Stops polling, reads the logs once more (unless `readLogs` is false), releases every held sample. */
  drain(readLogs?: boolean): Promise<void>;
  attribution(): PhaseAttribution[];
  notes(): string[];
  /** Reconciliation: samples released with evidence (their trace id reached a fake), log entries read (warm-up included), entries with no trace id. */
  counts(): { traced: number; fake_requests: number; untraced_calls: number };
}

/** The sample key of a fake log's trace id: from a `traceparent` trace id of this run's seed, else a plain `x-shakedown-sample-id`. */
export function sampleKeyOf(traceId: string | null, seed: number): number | undefined {
  if (traceId === null) return undefined;
  const prefix = (seed >>> 0).toString(16).padStart(8, '0');
  const key = /^[0-9a-f]{32}$/.test(traceId) ? (traceId.startsWith(prefix) ? Number.parseInt(traceId.slice(8), 16) : NaN) : Number(traceId);
  return Number.isSafeInteger(key) && key > 0 ? key : undefined;
}

interface Traced {
  first: number;
  calls: DependencyCall[];
  returned: string[];
  retrieval: number;
  cited: string[];
}

export function createEvidenceJoin<T>(o: EvidenceJoinOptions<T>): EvidenceJoin<T> {
  const pollMs = o.pollMs ?? 1000;
  const graceMs = o.graceMs ?? 250;
  const forgetMs = o.forgetMs ?? 30_000;
  const names = Object.keys(o.dependencies);
  const since = new Map(names.map((n) => [n, 0]));
  const byKey = new Map<number, Traced>();
  const held: Array<{ s: Parameters<EvidenceJoin<T>['push']>[0]; item: T }> = [];
  const attribution = createDependencyAttribution(o.phases, names);
  let t0 = 0;
  let t0Epoch = 0;
  let covered = -Infinity; // samples that ended before this (ms since t0) have had their calls read
  let timer: NodeJS.Timeout | undefined;
  let polling: Promise<void> | undefined;
  let stopped = false;
  let dropped = 0;
  let fakeRequests = 0;
  let untracedCalls = 0;
  let traced = 0;
  let failures = 0;
  let lastError = '';

  const ingest = (dep: string, e: FakeLogEntry) => {
    const call: DependencyCall = { dependency: dep, arrival_epoch_ms: e.t_ms, duration_ms: e.duration_ms, status: e.status };
    const rel = e.t_ms - t0Epoch;
    attribution.add(call, rel >= 0 ? o.phaseOf(rel) : null);
    fakeRequests++;
    if (e.trace_id === null) untracedCalls++;
    const key = sampleKeyOf(e.trace_id, o.seed);
    if (key === undefined) return;
    let t = byKey.get(key);
    if (!t) byKey.set(key, (t = { first: performance.now(), calls: [], returned: [], retrieval: 0, cited: [] }));
    t.calls.push(call);
    if (o.dependencies[dep].kind === 'retrieval' && e.path.startsWith('/search')) {
      t.retrieval++;
      for (const id of e.returned_ids ?? []) if (!t.returned.includes(id)) t.returned.push(id);
    }
    if (e.cited_ids) t.cited.push(...e.cited_ids.filter((id) => !t!.cited.includes(id)));
  };

  const evidenceFor = (s: Parameters<EvidenceJoin<T>['push']>[0]): SampleEvidence | null => {
    const t = byKey.get(s.key);
    if (!t) return null;
    byKey.delete(s.key);
    traced++;
    const ms = attributeLatency(t0Epoch + s.start_ms, t0Epoch + s.end_ms, t.calls);
    attribution.addSample(s.phase, s.latency_ms, ms);
    const calls: SampleEvidence['calls'] = {};
    for (const c of t.calls) {
      const a = (calls[c.dependency] ??= { calls: 0, errors: 0, ms: ms[c.dependency] ?? 0 });
      a.calls++;
      if (c.status === 0 || c.status >= 400) a.errors++;
    }
    return { calls, retrieval_calls: t.retrieval, returned_ids: t.returned, model_cited_ids: t.cited };
  };

  const releaseUpTo = (limit_ms: number) => {
    while (held.length && held[0].s.end_ms <= limit_ms) {
      const h = held.shift()!;
      o.release(h.item, evidenceFor(h.s));
    }
  };

  const pollOnce = async () => {
    const began = performance.now() - t0;
    let ok = true;
    for (const n of names) {
      try {
        const page = await o.readLog(n, since.get(n)!);
        dropped += page.dropped;
        for (const e of page.entries) {
          ingest(n, e);
          since.set(n, Math.max(since.get(n)!, e.seq));
        }
      } catch (error) {
        ok = false;
        failures++;
        lastError = (error as Error).message;
      }
    }
    if (ok) covered = began - graceMs;
    releaseUpTo(covered);
    const now = performance.now();
    for (const [k, t] of byKey) if (now - t.first > forgetMs) byKey.delete(k);
  };

  const loop = () => {
    if (stopped) return;
    polling = pollOnce().finally(() => {
      if (!stopped) timer = setTimeout(loop, pollMs);
    });
  };

  return {
    start(start, epoch) {
      t0 = start;
      t0Epoch = epoch;
      timer = setTimeout(loop, pollMs);
    },
    push(s, item) {
      held.push({ s, item });
    },
    async drain(readLogs = true) {
      stopped = true;
      if (timer) clearTimeout(timer);
      await polling;
      if (readLogs) await pollOnce();
      releaseUpTo(Infinity);
    },
    attribution: () => attribution.finish(),
    counts: () => ({ traced, fake_requests: fakeRequests, untraced_calls: untracedCalls }),
    notes() {
      const notes: string[] = [];
      if (dropped) notes.push(`attribution: ${dropped} fake log entries fell out of the ring before they were read`);
      if (failures) notes.push(`attribution: ${failures} reads of a fake's log failed (last: ${lastError})`);
      return notes;
    },
  };
}
