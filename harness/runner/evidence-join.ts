/**
 * Joins the fakes' request logs to the samples while the run goes on, so grounding, per-request attribution,
 * truncation and the dependency call metrics see what each request really caused, with bounded memory. Every
 * `pollMs` it reads each fake's new log entries (`GET /fakes/:name/log?since=`), keeps the calls of each trace
 * id, and holds each finished sample until a poll that began `graceMs` after the sample ended has been read;
 * then it hands the sample over with its evidence and its calls, and forgets them.
 *
 * A call is claimed by its trace id (`traceparent` or `x-shakedown-sample-id` forwarded by the SUT), else by
 * text (dependency-calls.ts "question_text"): a call without a trace id whose prompt (`user_text`) contains the
 * sample's match text and that arrived while the sample was in flight; when several held samples qualify, the one
 * whose next call was due closest to the call's arrival (`claimByText`). Calls no sample claims (warm-up, calls that outlive their sample) are dropped after
 * `forgetMs`, and their prompt text with them. Reading the log during the run also keeps the fakes'
 * 50,000-entry rings from losing entries on long runs.
 */
import {
  attributeLatency,
  createDependencyAttribution,
  type DependencyCall,
  type PhaseAttribution,
} from '../metrics/dependency-attribution.ts';
import type { CallEntry, MatchKind } from '../metrics/dependency-calls.ts';
import { toCallEntry, traceKey } from '../metrics/dependency-calls.ts';
import type { CallEvidence } from '../metrics/outcome-ranking.ts';
import type { SampleEvidence } from '../scoring/answer-checks.ts';
import type { FakeLogEntry } from './fakes-process.ts';

/** One dependency call claimed by a sample: its timing (ms since t0, prompt text dropped) and what it says about truncation. */
export interface LoggedCall {
  entry: CallEntry;
  evidence: CallEvidence;
}

/** A released sample's calls per dependency, in arrival order. */
export type SampleCalls = Record<string, LoggedCall[]>;

/** A finished sample as the join holds it: trace key, times (ms since t0), phase, latency and its match text. */
export interface JoinedSample {
  key: number;
  start_ms: number;
  end_ms: number;
  phase: string;
  latency_ms: number;
  /** Folded text the SUT is expected to put in its prompt (`matchTextOf`); none: matched by trace id only. */
  text?: string;
}

const fold = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();

/** Characters of a request's text that a prompt must contain to match (the prompt is logged cut to 2,000). */
export const MATCH_TEXT_CHARS = 200;

/**
 * The text a sample's calls are matched by when the SUT forwards no trace id: the longest string in the
 * request body (a dataset request's question, a static request's message or document), folded (case,
 * whitespace) and cut to MATCH_TEXT_CHARS; undefined when the body holds no string of 8 characters or more.
 */
export function matchTextOf(body: unknown): string | undefined {
  let best = '';
  const visit = (v: unknown, depth: number) => {
    if (typeof v === 'string') {
      if (v.length > best.length) best = v;
    } else if (depth < 8 && typeof v === 'object' && v !== null) for (const x of Object.values(v)) visit(x, depth + 1);
  };
  visit(body, 0);
  const text = fold(best).slice(0, MATCH_TEXT_CHARS).trim();
  return text.length >= 8 ? text : undefined;
}

export interface EvidenceJoinOptions<T> {
  /** Dependency name → fake kind. */
  dependencies: Record<string, { kind: string }>;
  seed: number;
  phases: readonly string[];
  phaseOf: (ms_since_t0: number) => string;
  readLog: (dependency: string, since: number) => Promise<{ entries: FakeLogEntry[]; dropped: number }>;
  /** Called once per pushed sample, in push order, with its evidence (null when no call was matched to it) and its calls. */
  release: (item: T, evidence: SampleEvidence | null, calls: SampleCalls) => void;
  /** Whether a toxic that cuts responses was on the dependency's proxy at `t_ms` (ms since t0). */
  cutByToxic?: (dependency: string, t_ms: number) => boolean;
  /** The kind (`truncate`, `stream_cut`, ...) of a mode by the id a fake logs (the fault's name); default: the id itself. */
  modeKindOf?: (modeId: string) => string;
  pollMs?: number;
  graceMs?: number;
  forgetMs?: number;
}

export interface EvidenceJoin<T> {
  /** Starts polling; `t0` is performance.now() at the start of measured load, `t0Epoch` Date.now() then. */
  start(t0: number, t0Epoch: number): void;
  /** A finished sample: its trace key, start and end (ms since t0), phase, latency and match text. */
  push(sample: JoinedSample, item: T): void;
  /** Stops polling, reads the logs once more (unless `readLogs` is false), releases every held sample. */
  drain(readLogs?: boolean): Promise<void>;
  attribution(): PhaseAttribution[];
  notes(): string[];
  /** Reconciliation: samples released with evidence (their trace id reached a fake), log entries read (warm-up included), entries with no trace id. */
  counts(): { traced: number; fake_requests: number; untraced_calls: number };
  /** How each logged call was matched to a sample (dependency-calls.ts MatchKind); unmatched includes warm-up calls. */
  matched(): Record<string, Record<MatchKind, number>>;
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
  logged: Array<{ dependency: string; call: LoggedCall; kind: 'trace_id' | 'sample_id_header' }>;
  returned: string[];
  retrieval: number;
  cited: string[];
}

/** A call with no trace id, waiting for a sample whose text its prompt contains. */
interface Untraced {
  dependency: string;
  first: number;
  text: string;
  call: DependencyCall;
  logged: LoggedCall;
}

export function createEvidenceJoin<T>(o: EvidenceJoinOptions<T>): EvidenceJoin<T> {
  const pollMs = o.pollMs ?? 1000;
  const graceMs = o.graceMs ?? 250;
  const forgetMs = o.forgetMs ?? 30_000;
  const names = Object.keys(o.dependencies);
  const since = new Map(names.map((n) => [n, 0]));
  const byKey = new Map<number, Traced>();
  const held: Array<{ s: JoinedSample; item: T }> = [];
  let untraced: Untraced[] = [];
  const matched = Object.fromEntries(
    names.map((n) => [n, { trace_id: 0, sample_id_header: 0, question_text: 0, unmatched: 0 } as Record<MatchKind, number>]),
  );
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
    matched[dep].unmatched++; // until a sample claims it
    if (e.trace_id === null) untracedCalls++;
    const { user_text, ...entry } = toCallEntry(e, t0Epoch);
    const logged: LoggedCall = {
      entry,
      evidence: {
        status: e.status,
        mode: e.mode === null || !o.modeKindOf ? e.mode : o.modeKindOf(e.mode),
        ...(e.finish_reason === undefined ? {} : { finish_reason: e.finish_reason }),
        ...(o.cutByToxic?.(dep, rel) ? { cut_by_toxic: true } : {}),
      },
    };
    const key = traceKey(e.trace_id, o.seed);
    if (key === undefined) {
      if (e.trace_id === null && user_text)
        untraced.push({ dependency: dep, first: performance.now(), text: fold(user_text), call, logged });
      return;
    }
    let t = byKey.get(key.id);
    if (!t) byKey.set(key.id, (t = { first: performance.now(), calls: [], logged: [], returned: [], retrieval: 0, cited: [] }));
    t.calls.push(call);
    t.logged.push({ dependency: dep, call: logged, kind: key.kind });
    if (o.dependencies[dep].kind === 'retrieval' && e.path.startsWith('/search')) {
      t.retrieval++;
      for (const id of e.returned_ids ?? []) if (!t.returned.includes(id)) t.returned.push(id);
    }
    if (e.cited_ids) t.cited.push(...e.cited_ids.filter((id) => !t!.cited.includes(id)));
  };

  /**
   * Untraced calls whose prompt holds the sample's text and that it, among the held samples that could have made
   * them, most likely made. The calls are taken in arrival order; each goes to the candidate (same text, in flight
   * at the call) whose next call was due closest to the call's arrival: a request's first call is due at its
   * start, a later one when the previous call ended plus the `retry-after` that call was given. So with identical
   * requests a first call goes to the request that had just started and a retry to the request that was waiting
   * for it. Only the released sample's calls are taken; the others wait for their own sample.
   */
  const claimByText = (s: JoinedSample): Untraced[] => {
    if (!s.text || untraced.length === 0) return [];
    const text = s.text;
    const candidates = held.filter((h) => h.s.text === text).map((h) => h.s);
    if (!candidates.includes(s)) candidates.push(s);
    const due = new Map<JoinedSample, number>(candidates.map((c) => [c, c.start_ms]));
    const mine = new Set<Untraced>();
    const ordered = untraced.filter((u) => u.text.includes(text)).sort((a, b) => a.logged.entry.t_ms - b.logged.entry.t_ms);
    for (const u of ordered) {
      const e = u.logged.entry;
      let best: JoinedSample | undefined;
      let bestGap = Infinity;
      for (const c of candidates) {
        if (e.t_ms < c.start_ms || e.t_ms > c.end_ms) continue;
        const gap = Math.abs(e.t_ms - due.get(c)!);
        if (gap < bestGap || (gap === bestGap && best !== undefined && c.start_ms > best.start_ms)) {
          best = c;
          bestGap = gap;
        }
      }
      if (!best) continue;
      due.set(best, e.t_ms + e.duration_ms + (e.retry_after_ms ?? 0));
      if (best === s) mine.add(u);
    }
    if (mine.size) untraced = untraced.filter((u) => !mine.has(u));
    return [...mine];
  };

  const evidenceFor = (s: JoinedSample): { evidence: SampleEvidence | null; calls: SampleCalls } => {
    const t = byKey.get(s.key);
    if (t) byKey.delete(s.key);
    const byText = claimByText(s);
    const calls: SampleCalls = {};
    const all: DependencyCall[] = [];
    const claim = (dependency: string, call: DependencyCall, logged: LoggedCall, kind: MatchKind) => {
      (calls[dependency] ??= []).push(logged);
      all.push(call);
      matched[dependency][kind]++;
      matched[dependency].unmatched--;
    };
    if (t) t.logged.forEach((l, i) => claim(l.dependency, t.calls[i], l.call, l.kind));
    for (const u of byText) claim(u.dependency, u.call, u.logged, 'question_text');
    for (const list of Object.values(calls)) list.sort((a, b) => a.entry.t_ms - b.entry.t_ms);
    if (all.length === 0) return { evidence: null, calls };
    if (t) traced++;
    const ms = attributeLatency(t0Epoch + s.start_ms, t0Epoch + s.end_ms, all);
    attribution.addSample(s.phase, s.latency_ms, ms);
    const perDep: SampleEvidence['calls'] = {};
    for (const c of all) {
      const a = (perDep[c.dependency] ??= { calls: 0, errors: 0, ms: ms[c.dependency] ?? 0 });
      a.calls++;
      if (c.status === 0 || c.status >= 400) a.errors++;
    }
    return {
      evidence: { calls: perDep, retrieval_calls: t?.retrieval ?? 0, returned_ids: t?.returned ?? [], model_cited_ids: t?.cited ?? [] },
      calls,
    };
  };

  const releaseUpTo = (limit_ms: number) => {
    while (held.length && held[0].s.end_ms <= limit_ms) {
      const h = held[0];
      const { evidence, calls } = evidenceFor(h.s);
      held.shift();
      o.release(h.item, evidence, calls);
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
    if (untraced.length && now - untraced[0].first > forgetMs) untraced = untraced.filter((u) => now - u.first <= forgetMs);
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
    matched: () => Object.fromEntries(Object.entries(matched).map(([d, m]) => [d, { ...m }])),
    notes() {
      const notes: string[] = [];
      if (dropped) notes.push(`attribution: ${dropped} fake log entries fell out of the ring before they were read`);
      if (failures) notes.push(`attribution: ${failures} reads of a fake's log failed (last: ${lastError})`);
      return notes;
    },
  };
}
