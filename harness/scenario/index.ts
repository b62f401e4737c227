/** The scenario model: types, factories, validation. No I/O; imports nothing else of the repo. */
export * from './types.ts';
export * from './faults.ts';
export * from './metrics.ts';
export * from './duration.ts';
export {
  EXPLORE_KINDS,
  EXPLORE_DEFAULTS,
  type ExploreKind,
  type ExploreOptions,
  type ExploreChoice,
  type ResolvedExplore,
} from './explore-space.ts';
export { defineScenario, fakes, dataset, requests, ragAnswer, customScorer } from './define-scenario.ts';
export { resolveScenario, type ResolveResult } from './resolve-scenario.ts';
export { createFaultTimeline, phaseAt } from './fault-timeline.ts';
export { SCENARIO_DEFAULTS, defaultConnections } from './defaults.ts';
