/**
 * Whether a toxic with `toxicity` below 1 reached any request. Toxiproxy rolls `toxicity` once per connection (each
 * link, when the toxic is added or the link opens) and reports no roll, so a toxic on a keep-alive pool of a few
 * connections can touch none of them. Two pieces of evidence, both from what the run measured:
 *
 * - the chance that no connection was touched, `(1 − toxicity)^connections`, from the connections the fake had open
 *   when the toxic went on plus those opened during the window (the fakes count them: one per proxy link);
 * - for a `latency` toxic, calls that provably did not meet it. A touched link adds at least `latency − jitter` ms
 *   (`min_delay_ms`). Downstream, the SUT gets the answer that much after the fake sent it, so a good sample's last
 *   call to the dependency whose answer reached the sample's end sooner was not touched. Upstream, the request reaches
 *   the fake that much after the SUT sent it, so a sample's first call that arrived sooner after the sample started
 *   was not touched. Other calls (retries, abandoned calls, failed samples) decide nothing. When every call in the
 *   window was provably untouched, the toxic was not exercised.
 *
 * Clocks differ by up to a millisecond between the fakes and the harness; a call decides only when it clears the
 * bound by DECISION_SLACK_MS or 10 % of it, whichever is more.
 */
import type { CallEntry } from './dependency-calls.ts';

export const DECISION_SLACK_MS = 5;

export interface LatencyToxic {
  stream: 'upstream' | 'downstream';
  /** `latency − jitter`: the least a touched link adds, ms. */
  min_delay_ms: number;
  /** The fault's window, ms since t0. */
  window: { start_ms: number; end_ms: number };
}

/** What one sample's calls say about one latency toxic: calls that arrived in its window, and those provably untouched. */
export interface CallReach {
  in_window: number;
  untouched: number;
}

/** The least a latency toxic adds to a touched link (ms), or null when it is not a latency toxic or adds nothing for sure. */
export function minDelayMs(type: string, attributes: Record<string, number>): number | null {
  if (type !== 'latency') return null;
  const least = (attributes.latency ?? 0) - (attributes.jitter ?? 0);
  return least > 0 ? least : null;
}

/**
 * One sample's calls to the toxic's dependency (arrival order), judged. `good`: the sample got a complete answer
 * (2xx, no transport error, no stream abort, not a bad outcome), so its last call's answer is the one it used.
 */
export function callReach(
  sample: { start_ms: number; end_ms: number; good: boolean },
  calls: readonly Pick<CallEntry, 't_ms' | 'duration_ms'>[],
  toxic: LatencyToxic,
): CallReach {
  const bound = toxic.min_delay_ms - Math.max(DECISION_SLACK_MS, toxic.min_delay_ms * 0.1);
  let inWindow = 0;
  let untouched = 0;
  calls.forEach((c, i) => {
    if (c.t_ms < toxic.window.start_ms || c.t_ms >= toxic.window.end_ms) return;
    inWindow++;
    if (bound <= 0) return;
    if (toxic.stream === 'downstream') {
      if (sample.good && i === calls.length - 1 && sample.end_ms - (c.t_ms + c.duration_ms) < bound) untouched++;
    } else if (i === 0 && c.t_ms - sample.start_ms < bound) untouched++;
  });
  return { in_window: inWindow, untouched };
}

/** `(1 − toxicity)^connections`: the chance Toxiproxy's rolls touched none of the connections, rounded to 4 places. */
export function chanceUntouched(toxicity: number, connections: number): number {
  return Math.round((1 - toxicity) ** connections * 1e4) / 1e4;
}

/** Chances at or above this make a `toxicity < 1` toxic whose reach cannot be seen a problem worth naming. */
export const UNTOUCHED_CHANCE_PROBLEM = 0.05;

export interface ToxicReachEvidence {
  on: string;
  type: string;
  toxicity: number;
  /** Connections the toxic was rolled for (open when it went on + opened in the window); null when not counted. */
  connections: number | null;
  /** Latency toxics: calls in the window and those provably untouched; null for other toxics. */
  calls: CallReach | null;
}

/** The problem to record for a toxic with `toxicity < 1`, or null when it reached traffic or nothing can be said. */
export function toxicReachProblem(e: ToxicReachEvidence): string | null {
  if (e.toxicity >= 1) return null;
  const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;
  const rolled =
    e.connections === null
      ? ''
      : `; the service used ${e.connections} connection${e.connections === 1 ? '' : 's'} to ${e.on} (chance that none was touched: ${pct(chanceUntouched(e.toxicity, e.connections))})`;
  if (e.calls && e.calls.in_window > 0 && e.calls.untouched === e.calls.in_window) {
    return `toxicity ${e.toxicity} is rolled once per connection by Toxiproxy, and none of the ${e.calls.in_window} calls to ${e.on} during the window met the latency: the fault was not exercised${rolled}; use toxicity 1, or a count-based mode for a share of requests`;
  }
  if (e.calls && e.calls.untouched < e.calls.in_window) return null; // some call may have met it: no claim either way
  if (e.connections !== null && chanceUntouched(e.toxicity, e.connections) >= UNTOUCHED_CHANCE_PROBLEM) {
    return `toxicity ${e.toxicity} is rolled once per connection by Toxiproxy and it reports no roll: the ${e.type} toxic may have touched no request${rolled}; use toxicity 1, or a count-based mode for a share of requests`;
  }
  return null;
}
