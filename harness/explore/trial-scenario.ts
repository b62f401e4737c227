/**
 * The scenario one trial runs: the user's scenario with its load cut to the explore block's trial length, its
 * faults replaced by the generated schedule, and its SLOs kept for the selectors a generated schedule has
 * (`baseline`, `fault`, `recovery`, `all`; an SLO on one of the scenario's own fault names has no phase in a
 * trial and is left out, listed in `dropped`). Validated with the scenario validator, so a schedule that the
 * validator rejects is a bug of the arbitraries, never a silent trial.
 */
import {
  resolveScenario,
  type FaultOptions,
  type LoadOptions,
  type ResolvedExplore,
  type ResolvedScenario,
  type ScenarioOptions,
  type SloOptions,
} from '../scenario/index.ts';

export const TRIAL_SELECTORS: readonly string[] = ['baseline', 'fault', 'recovery', 'all'];

/** The overrides that turn the user's scenario into a trial's (also written into the scenario file explore writes). */
export interface TrialOverrides {
  load: Pick<LoadOptions, 'duration' | 'warmup'>;
  slos: SloOptions;
  dropped: string[];
}

export function trialOverrides(raw: ScenarioOptions, explore: ResolvedExplore): TrialOverrides {
  const slos: SloOptions = {};
  const dropped: string[] = [];
  for (const [selector, metrics] of Object.entries(raw.slos ?? {})) {
    if (TRIAL_SELECTORS.includes(selector)) slos[selector] = metrics;
    else dropped.push(...Object.keys(metrics ?? {}).map((m) => `slos.${selector}.${m}`));
  }
  return { load: { duration: explore.trial.duration_ms, warmup: explore.trial.warmup_ms }, slos, dropped };
}

/**
 * @returns the resolved trial scenario
 * @throws Error listing the validator's problems (a schedule outside the scenario's rules)
 */
export function trialScenario(raw: ScenarioOptions, explore: ResolvedExplore, faults: FaultOptions[]): ResolvedScenario {
  const o = trialOverrides(raw, explore);
  const { explore: _space, ...rest } = raw;
  const load = raw.load.executor === 'ramping-arrival-rate' ? raw.load : { ...raw.load, ...o.load };
  // No open-file room here (no I/O in harness/explore): the scenario file was checked against it when loaded.
  const resolved = resolveScenario({ ...rest, load, faults, slos: o.slos });
  if (!resolved.ok) throw new Error(`a generated schedule is not a valid scenario:\n${resolved.problems.join('\n')}`);
  return resolved.scenario;
}

/**
 * The trial a `--sweep` runs on a scenario without an explore block: the scenario's own load, and the swept
 * fault in the window of the scenario's first fault (else from 2 s for 5 s), so the sweep varies only the
 * intensity of the fault the scenario was written for.
 */
export function sweepSpaceOf(scenario: Pick<ResolvedScenario, 'faults' | 'load'>): ResolvedExplore {
  const first = scenario.faults[0];
  const window_ms = first?.for_ms ?? 5000;
  const at_ms = first?.at_ms ?? 2000;
  return {
    choices: [],
    properties: [],
    maxFaults: 1,
    window: { min_ms: window_ms, max_ms: window_ms },
    trial: {
      duration_ms: scenario.load.duration_ms,
      warmup_ms: scenario.load.warmup_ms,
      baseline_ms: at_ms,
      recovery_ms: Math.max(0, scenario.load.duration_ms - at_ms - window_ms),
    },
  };
}
