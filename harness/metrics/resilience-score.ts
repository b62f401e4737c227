/**
 * The resilience score of a run, 0–100: a weighted sum, in the manner of LitmusChaos's resilience score, of
 * four components measured over the fault phases (README "Resilience score" is the definition):
 *
 *   availability = mean over fault phases of 100 × (1 − error_rate − empty_rate), empty_rate only in scored runs:
 *                  an empty 200 is an outage that hides itself, not available service (a careless twin that
 *                  turned its 5xx into empty answers scored 25 points above the careful service before)
 *   latency      = mean over fault phases of 100 × min(1, baseline p95 / phase p95)
 *   quality      = mean over fault phases of 100 × min(1, phase quality / baseline quality)
 *   recovery     = mean over faults of 100 × (1 if recovery_s ≤ bound, bound / recovery_s if later, 0 if not recovered)
 *   score        = Σ weight × component / Σ weight, over the components that have a value
 *
 * A component without a value (no fault phase with requests, no scorer, no baseline, recovery not measured) is
 * left out and the other weights are renormalized; with none at all the score is null. Pure.
 */
import type { FaultEvidence, PhaseResult, ResilienceScoreResult } from '../results/result-types.ts';
import type { ResolvedScenario } from '../scenario/types.ts';

export type ScoreComponentName = 'availability' | 'latency' | 'quality' | 'recovery';

export type ResilienceScore = ResilienceScoreResult;

const r1 = (x: number) => Math.round(x * 10) / 10;
const mean = (xs: Array<number | null>) => {
  const v = xs.filter((x): x is number => x !== null);
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
};

export function scoreFormula(w: Record<ScoreComponentName, number>): string {
  return (
    `score = (${w.availability}×availability + ${w.latency}×latency + ${w.quality}×quality + ${w.recovery}×recovery) / (sum of the weights of the components measured); ` +
    'over fault phases: availability = 100×(1 − error_rate − empty_rate) (empty_rate: scored runs only), latency = 100×min(1, baseline p95 / phase p95), quality = 100×min(1, phase quality / baseline quality), each the mean over fault phases; ' +
    'recovery = mean over faults of 100×(1 if recovery_s ≤ bound, bound / recovery_s if later, 0 if not recovered), bound = the recovery_s SLO threshold for the fault, else 10 s'
  );
}

/**
 * @param weights component weights (resolved scenario `scoreWeights`)
 * @param bounds recovery bound in seconds per fault name (the recovery_s SLO threshold that applies, else the default)
 */
export function resilienceScore(
  phases: readonly PhaseResult[],
  faults: readonly Pick<FaultEvidence, 'name' | 'recovery' | 'recovery_s'>[],
  weights: Record<ScoreComponentName, number>,
  bounds: ReadonlyMap<string, number>,
  defaultBound_s = 10,
): ResilienceScore {
  const baseline = phases.find((p) => p.kind === 'baseline');
  const bp95 = baseline?.metrics.p95_ms ?? null;
  const bq = baseline?.metrics.quality ?? null;
  const perPhase = phases
    .filter((p) => p.kind === 'fault' && p.metrics.requests > 0)
    .map((p) => {
      const m = p.metrics;
      return {
        phase: p.name,
        availability: m.error_rate === null ? null : r1(100 * Math.max(0, 1 - m.error_rate - (m.empty_rate ?? 0))),
        latency: bp95 === null || m.p95_ms === null || m.p95_ms <= 0 ? null : r1(100 * Math.min(1, bp95 / m.p95_ms)),
        quality: bq === null || bq <= 0 || m.quality === undefined || m.quality === null ? null : r1(100 * Math.min(1, m.quality / bq)),
      };
    });
  const perFault = faults.map((f) => {
    const bound_s = bounds.get(f.name) ?? defaultBound_s;
    const recovery =
      f.recovery === 'recovered' && f.recovery_s !== null
        ? r1(100 * (f.recovery_s <= bound_s ? 1 : bound_s / f.recovery_s))
        : f.recovery === 'not_recovered'
          ? 0
          : null;
    return { fault: f.name, recovery_s: f.recovery_s, bound_s, recovery };
  });
  const values: Record<ScoreComponentName, number | null> = {
    availability: mean(perPhase.map((p) => p.availability)),
    latency: mean(perPhase.map((p) => p.latency)),
    quality: mean(perPhase.map((p) => p.quality)),
    recovery: mean(perFault.map((f) => f.recovery)),
  };
  const names: ScoreComponentName[] = ['availability', 'latency', 'quality', 'recovery'];
  let sum = 0;
  let wsum = 0;
  for (const n of names) {
    const v = values[n];
    if (v === null || weights[n] <= 0) continue;
    sum += weights[n] * v;
    wsum += weights[n];
  }
  return {
    value: wsum > 0 ? r1(sum / wsum) : null,
    components: names.map((name) => ({ name, value: values[name] === null ? null : r1(values[name]!), weight: weights[name] })),
    formula: scoreFormula(weights),
    phases: perPhase,
    faults: perFault,
  };
}

/** The recovery bound per fault: the tightest `recovery_s <`/`<=` SLO threshold that applies to it (selector `recovery`, `all` or its name). */
export function recoveryBounds(scenario: Pick<ResolvedScenario, 'faults' | 'slos'>): Map<string, number> {
  const bounds = new Map<string, number>();
  for (const slo of scenario.slos) {
    if (slo.metric !== 'recovery_s' || !slo.expression.op.startsWith('<')) continue;
    for (const f of scenario.faults) {
      if (slo.selector !== 'recovery' && slo.selector !== 'all' && slo.selector !== f.name) continue;
      bounds.set(f.name, Math.min(bounds.get(f.name) ?? Infinity, slo.expression.value));
    }
  }
  return bounds;
}
