/**
 * Reads the resilience score of a run for the reports (`result.score`, README "Resilience score"); null for a
 * result without one (written before the score existed, or no component measured). Accepted shape:
 * `score: { value: 0..100, components: { name: number | { value, weight } } | [{ name, value, weight }], formula?: string }`.
 */
import type { RunResult } from '../harness/results/result-types.ts';

export interface ScoreView {
  value: number;
  components: Array<{ name: string; value: number | null; weight: number | null }>;
  formula: string | null;
  /** The whole formula, with each outcome class defined (score v2); null in older results. */
  formula_long: string | null;
}

const asNumber = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The run's score, or null when the result carries none. */
export function readScore(result: RunResult): ScoreView | null {
  const raw: unknown = result.score;
  if (typeof raw === 'number') return { value: raw, components: [], formula: null, formula_long: null };
  if (!raw || typeof raw !== 'object') return null;
  const o = raw as Record<string, unknown>;
  const value = asNumber(o.value) ?? asNumber(o.score) ?? asNumber(o.total);
  if (value === null) return null;
  const components: ScoreView['components'] = [];
  if (Array.isArray(o.components)) {
    for (const c of o.components) {
      if (c && typeof c === 'object')
        components.push({
          name: String((c as Record<string, unknown>).name ?? ''),
          value: asNumber((c as Record<string, unknown>).value),
          weight: asNumber((c as Record<string, unknown>).weight),
        });
    }
  } else if (o.components && typeof o.components === 'object') {
    for (const [name, c] of Object.entries(o.components as Record<string, unknown>)) {
      if (typeof c === 'number') components.push({ name, value: c, weight: null });
      else if (c && typeof c === 'object')
        components.push({
          name,
          value: asNumber((c as Record<string, unknown>).value),
          weight: asNumber((c as Record<string, unknown>).weight),
        });
    }
  }
  return {
    value,
    components,
    formula: typeof o.formula === 'string' ? o.formula : null,
    formula_long: typeof o.formula_long === 'string' ? o.formula_long : null,
  };
}
