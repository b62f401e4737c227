/**
 * Dependency call metrics (README "Dependency calls"): which SUT request caused each call a fake logged, and per
 * dependency and phase, how many calls a request made (mean, p95), the retry amplification against baseline,
 * retries sent before the `retry-after` the fake gave had passed, and requests that made the same call twice.
 *
 * A call is matched to a sample by, in this order:
 *   trace_id          the W3C `traceparent` trace id the load sent, forwarded by the SUT (this run's seed prefix)
 *   sample_id_header  the `x-shakedown-sample-id` header the load sends, forwarded by the SUT
 *   question_text     the sample's question text found in the call's prompt (`user_text`, whitespace and case
 *                     folded), among samples in flight when the call arrived; the latest started wins
 *   unmatched         none of these
 * so it works for services that forward no header. Pure: times are ms since t0 on both sides.
 */

import type { DependencyCalls, DependencyPhaseCalls, MatchKind } from '../results/result-types.ts';

export type { DependencyCalls, DependencyPhaseCalls, MatchKind };
export const MATCH_KINDS: readonly MatchKind[] = Object.freeze(['trace_id', 'sample_id_header', 'question_text', 'unmatched']);

export interface CallSample {
  id: number;
  start_ms: number;
  end_ms: number;
  phase: string;
  /** The question the request asked (dataset requests), for matching by prompt text. */
  question?: string;
}

/** One fake log entry (fakes/request-log.ts `RequestLogEntry`), its arrival moved to ms since t0. */
export interface CallEntry {
  t_ms: number;
  duration_ms: number;
  status: number;
  path: string;
  trace_id: string | null;
  /** The prompt's last user message as the fake logged it (`RequestLogEntry.user_text`). */
  user_text?: string;
  /** The wait the fake asked for with `retry-after`/`retry-after-ms` (`RequestLogEntry.retry_after_ms`). */
  retry_after_ms?: number;
  /** Model calls: the prompt's length in characters (`RequestLogEntry.prompt_chars`): a resent prompt has the same. */
  prompt_chars?: number;
}

const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;
const fold = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();

/** Reads a sample id from a logged trace id: a `traceparent` trace id of this run's seed, or a plain sample id. */
export function traceKey(traceId: string | null, seed: number): { id: number; kind: 'trace_id' | 'sample_id_header' } | undefined {
  if (traceId === null) return undefined;
  if (/^[0-9a-f]{32}$/.test(traceId)) {
    const prefix = (seed >>> 0).toString(16).padStart(8, '0');
    const id = traceId.startsWith(prefix) ? Number.parseInt(traceId.slice(8), 16) : NaN;
    return Number.isSafeInteger(id) && id > 0 ? { id, kind: 'trace_id' } : undefined;
  }
  const id = Number(traceId);
  return Number.isSafeInteger(id) && id > 0 ? { id, kind: 'sample_id_header' } : undefined;
}

/** Nearest-rank percentile of sorted values. */
const percentile = (sorted: readonly number[], p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];

/**
 * Matches every call to the sample that caused it.
 * @returns calls per sample id (in arrival order) and the match counts
 */
export function matchCalls(
  samples: readonly CallSample[],
  entries: readonly CallEntry[],
  seed: number,
): { bySample: Map<number, CallEntry[]>; matched: Record<MatchKind, number> } {
  const byId = new Map(samples.map((s) => [s.id, s]));
  const withText = samples.filter((s) => s.question).map((s) => ({ s, q: fold(s.question!) }));
  const bySample = new Map<number, CallEntry[]>();
  const matched: Record<MatchKind, number> = { trace_id: 0, sample_id_header: 0, question_text: 0, unmatched: 0 };
  const claim = (id: number, e: CallEntry) => {
    const list = bySample.get(id);
    if (list) list.push(e);
    else bySample.set(id, [e]);
  };
  for (const e of [...entries].sort((a, b) => a.t_ms - b.t_ms)) {
    const key = traceKey(e.trace_id, seed);
    if (key && byId.has(key.id)) {
      matched[key.kind]++;
      claim(key.id, e);
      continue;
    }
    const text = e.user_text === undefined ? '' : fold(e.user_text);
    let best: CallSample | undefined;
    if (text)
      for (const { s, q } of withText)
        if (q && s.start_ms <= e.t_ms && e.t_ms <= s.end_ms && text.includes(q) && (!best || s.start_ms > best.start_ms)) best = s;
    if (best) {
      matched.question_text++;
      claim(best.id, e);
    } else matched.unmatched++;
  }
  return { bySample, matched };
}

/**
 * The call metrics of one dependency.
 * @param samples every measured sample (with the phase it counts in)
 * @param entries the dependency fake's log entries (warm-up calls simply stay unmatched)
 * @param phases phase names in run order; `baseline` (if present) is what amplification divides by
 */
export function dependencyCalls(
  samples: readonly CallSample[],
  entries: readonly CallEntry[],
  seed: number,
  phases: readonly string[],
): DependencyCalls {
  const { bySample, matched } = matchCalls(samples, entries, seed);
  const acc = createDependencyCallsAccumulator(phases);
  for (const s of samples) acc.add(s.phase, bySample.get(s.id) ?? []);
  return acc.finish(matched);
}

export interface DependencyCallsAccumulator {
  /** One measured request's calls to the dependency (in arrival order); returns how many there were. */
  add(phase: string, calls: readonly CallEntry[]): number;
  finish(matched: Record<MatchKind, number>): DependencyCalls;
}

/**
 * The call metrics of one dependency, folded request by request (the runner's evidence join matches each
 * request's calls as it is released, so no call list outlives its request). Keeps one count per request.
 * @param phases phase names in run order; `baseline` (if present) is what amplification divides by
 */
export function createDependencyCallsAccumulator(phases: readonly string[]): DependencyCallsAccumulator {
  const perPhase = new Map<string, { counts: number[]; early: number; dup: number; dupRequests: number }>(
    phases.map((p) => [p, { counts: [], early: 0, dup: 0, dupRequests: 0 }]),
  );
  return {
    add(phase, calls) {
      const acc = perPhase.get(phase);
      if (!acc) return calls.length;
      acc.counts.push(calls.length);
      // A call again on the same path with the same prompt (model calls: its length; others: the path alone) is a
      // duplicate; an agent's next step sends a longer prompt and is not.
      const lastSent = new Map<string, CallEntry>();
      let dup = 0;
      for (const c of calls) {
        const key = c.prompt_chars === undefined ? c.path : `${c.path}\u0000${c.prompt_chars}`;
        const prev = lastSent.get(key);
        if (prev) {
          dup++;
          if (prev.retry_after_ms !== undefined && c.t_ms < prev.t_ms + prev.duration_ms + prev.retry_after_ms) acc.early++;
        }
        lastSent.set(key, c);
      }
      acc.dup += dup;
      if (dup > 0) acc.dupRequests++;
      return calls.length;
    },
    finish(matched) {
      const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
      const baseMean = perPhase.has('baseline') ? mean(perPhase.get('baseline')!.counts) : null;
      const out: DependencyPhaseCalls[] = [];
      for (const [phase, acc] of perPhase) {
        const requests = acc.counts.length;
        const calls = acc.counts.reduce((a, b) => a + b, 0);
        const m = mean(acc.counts);
        out.push({
          phase,
          requests,
          calls,
          calls_per_request: m === null ? null : round(m),
          calls_per_request_p95: requests
            ? percentile(
                [...acc.counts].sort((a, b) => a - b),
                95,
              )
            : null,
          retry_amplification: m === null || baseMean === null || baseMean === 0 ? null : round(m / baseMean),
          early_retries: acc.early,
          early_retry_rate: calls ? round(acc.early / calls) : null,
          duplicate_calls: acc.dup,
          duplicate_call_rate: requests ? round(acc.dupRequests / requests) : null,
        });
      }
      return { phases: out, matched: { ...matched } };
    },
  };
}

/**
 * A fake's log entry as `dependencyCalls` reads it: arrival moved from epoch ms to ms since t0.
 * @param entry a `GET /fakes/:name/log` entry (fakes/request-log.ts `RequestLogEntry`)
 * @param t0_epoch_ms `Date.now()` at the start of measured load (`run.t0_epoch_ms`)
 */
export function toCallEntry(
  entry: {
    t_ms: number;
    duration_ms: number;
    status: number;
    path: string;
    trace_id: string | null;
    user_text?: string;
    retry_after_ms?: number;
    prompt_chars?: number;
  },
  t0_epoch_ms: number,
): CallEntry {
  return {
    t_ms: entry.t_ms - t0_epoch_ms,
    duration_ms: entry.duration_ms,
    status: entry.status,
    path: entry.path,
    trace_id: entry.trace_id,
    ...(entry.user_text === undefined ? {} : { user_text: entry.user_text }),
    ...(entry.retry_after_ms === undefined ? {} : { retry_after_ms: entry.retry_after_ms }),
    ...(entry.prompt_chars === undefined ? {} : { prompt_chars: entry.prompt_chars }),
  };
}
