/**
 * How every outcome ranks (README "Outcome ranking"): from best to worst,
 *
 *   good  : an answer within the latency budget, complete and right (`ok`)
 *   loud  : an announced failure the caller can act on: an HTTP error, a connection error, a stream that ended
 *           with an error event or visibly short (no completion event), a fallback the service labels as one
 *   late  : an answer (or the harness timeout) later than the latency budget: not available, and the caller
 *           waited for it
 *   quiet : harm presented as a normal answer: `stale`, `wrong`, `empty`, `partial`, `truncated` (cut short but
 *           presented as complete), an unannounced `fallback`
 *
 * Quiet harm stays quiet however fast it came. A stream the caller saw fail (an error event, no completion event, a
 * dropped connection) is loud, or late past the budget, whatever a scorer made of the text before the cut: the
 * caller was told. The latency budget (`latencyBudget`) is the scenario's
 * `latencyBudget` when given, else the tightest `p95_ms`/`p99_ms` SLO threshold of the scenario, else the
 * request timeout. Pure.
 */
import type { SampleRecord } from '../results/result-types.ts';
import type { Outcome } from '../scenario/metrics.ts';

export type OutcomeClass = 'good' | 'loud' | 'late' | 'quiet';

/** Best first. */
export const OUTCOME_CLASSES: readonly OutcomeClass[] = Object.freeze(['good', 'loud', 'late', 'quiet']);

const QUIET: ReadonlySet<Outcome> = new Set(['stale', 'wrong', 'empty', 'partial', 'truncated', 'fallback']);

/**
 * The class of one sample.
 * @param sample status, error, stream ending, outcome (scored runs) and latency of the request
 * @param budget_ms the latency budget (`latencyBudget`)
 * @param announced the service labelled its answer a fallback (`fallback: true`): a labelled fallback is loud,
 *   an unlabelled one quiet. Phase 2 sets it from the scorer's verdict.
 */
export function rankSample(
  sample: Pick<SampleRecord, 'status' | 'error_kind' | 'latency_ms' | 'outcome' | 'stream_aborted' | 'stream_abort_reason'>,
  budget_ms: number,
  announced = false,
): OutcomeClass {
  const o = sample.outcome;
  if (o === 'fallback' && announced) return sample.latency_ms > budget_ms ? 'late' : 'loud';
  // A stream that ended with an error event, without its completion event or on a dropped connection told its
  // caller it failed, whatever the text before the cut holds (a scorer may call that text wrong or partial).
  if (sample.stream_aborted) return sample.latency_ms > budget_ms ? 'late' : 'loud';
  if (o !== undefined && QUIET.has(o)) return 'quiet';
  if (sample.error_kind === 'timeout' || o === 'timeout' || sample.latency_ms > budget_ms) return 'late';
  if (sample.error_kind !== null || o === 'http_error' || o === 'connection_error') return 'loud';
  if (sample.status !== null && (sample.status < 200 || sample.status >= 300)) return 'loud';
  return 'good';
}

/** What the harness knows about one dependency call made for a request (from the fakes' request log). */
export interface CallEvidence {
  /** Status the fake sent (0: no response head). */
  status: number;
  /** Fake mode applied (`truncate`, `stream_cut`, `stream_stall`, ...), or null. */
  mode: string | null;
  /** The model's `finish_reason` as the fake sent it, when logged (`length` = cut by the token limit). */
  finish_reason?: string | null;
  /** A Toxiproxy toxic that cuts connections (`limit_data`, `reset_peer`, `timeout`) was active on the call's proxy. */
  cut_by_toxic?: boolean;
}

/** Fake modes whose answer reaches the SUT cut short. */
export const CUTTING_MODES: ReadonlySet<string> = new Set(['truncate', 'stream_cut', 'stream_stall']);

/** How the SUT's own response ended, as the load saw it. */
export interface SutEnding {
  status: number | null;
  error_kind: SampleRecord['error_kind'];
  /** Streamed responses: the stream summary's `completed` (completion event, no error event) and error event. */
  stream?: { completed: boolean; abort_reason: SampleRecord['stream_abort_reason'] };
  /** The SUT's response announced the cut (`truncated: true`, `finish_reason: "length"` passed on, a warning field). */
  announced_cut?: boolean;
}

/**
 * Whether a request's answer was cut short but presented as complete (`truncated`): the SUT answered as if whole
 * (a 2xx plain answer, or a stream that ended with its completion event and no error event), did not announce
 * the cut, and the dependency evidence for that request says the answer it used was cut: the model's
 * `finish_reason: "length"`, a cutting fake mode (`truncate`, `stream_cut`, `stream_stall`) or a toxic that cut
 * the connection. Every call of the request counts: a cut first call followed by a whole retry is not a truncation.
 * @param calls the request's dependency calls in order (dependency-calls.ts matches them); the last one is the one the answer rests on
 */
export function detectTruncation(sut: SutEnding, calls: readonly CallEvidence[]): boolean {
  if (sut.announced_cut) return false;
  const presentedWhole = sut.stream
    ? sut.stream.completed && sut.stream.abort_reason === null
    : sut.error_kind === null && sut.status !== null && sut.status >= 200 && sut.status < 300;
  if (!presentedWhole) return false;
  const last = calls.at(-1);
  if (!last) return false;
  return last.finish_reason === 'length' || (last.mode !== null && CUTTING_MODES.has(last.mode)) || last.cut_by_toxic === true;
}

/**
 * The latency budget in ms: an answer later than this is not available.
 * @param o `latencyBudget_ms` (scenario field, when set), the scenario's SLOs and its request timeout
 */
export function latencyBudget(o: {
  latencyBudget_ms?: number;
  slos: ReadonlyArray<{ metric: string; expression: { op: string; value: number } }>;
  timeout_ms: number;
}): number {
  if (o.latencyBudget_ms !== undefined) return o.latencyBudget_ms;
  let budget = Infinity;
  for (const s of o.slos)
    if ((s.metric === 'p95_ms' || s.metric === 'p99_ms') && s.expression.op.startsWith('<')) budget = Math.min(budget, s.expression.value);
  return Number.isFinite(budget) ? budget : o.timeout_ms;
}

/**
 * Whether the SUT's own answer (its JSON body, or its stream's completion event: `StreamSample.final`) announces
 * that it was cut: `truncated: true`, `incomplete: true`, `status: "incomplete"`, or a `finish_reason` (top level
 * or `choices.0.`) of `length`. Feeds `SutEnding.announced_cut`.
 */
export function announcesCut(json: unknown): boolean {
  if (typeof json !== 'object' || json === null) return false;
  const o = json as Record<string, unknown>;
  const choice =
    Array.isArray(o.choices) && typeof o.choices[0] === 'object' && o.choices[0] !== null ? (o.choices[0] as Record<string, unknown>) : {};
  return (
    o.truncated === true ||
    o.incomplete === true ||
    o.status === 'incomplete' ||
    o.finish_reason === 'length' ||
    choice.finish_reason === 'length'
  );
}
