/**
 * Shakedown's public API: what a scenario file imports (`import { defineScenario, ... } from 'shakedown'`).
 * Everything else in harness/ is internal.
 */

// Declaring a scenario
export { defineScenario } from './scenario/define-scenario.ts';
export type {
  ScenarioOptions,
  SystemOptions,
  CommandSystemOptions,
  UrlSystemOptions,
  ReadyOptions,
  LoadOptions,
  FaultOptions,
  SloOptions,
  PhaseSelector,
  DependencyAddress,
  FakeSpec,
  FakeKind,
  RequestSource,
  SseRuleOptions,
  ScoreSpec,
} from './scenario/types.ts';

// Dependencies: the built-in fakes, and what a user adds to them (quotas, fixtures, their own msw handlers)
export { fakes } from './scenario/define-scenario.ts';
export type { QuotaOptions, Fixture, FixtureMatch, CustomFakeOptions } from '../contract/index.ts';

// Load: where requests come from
export { dataset, requests } from './scenario/define-scenario.ts';

// Faults: Toxiproxy toxics and fake behaviour modes
export { toxic, mode, TOXIC_TYPES } from './scenario/faults.ts';
export type { FaultAction, ToxicFault, DownFault, ModeFault, FakeMode, ToxicType, ToxicStream } from './scenario/faults.ts';
/** The targeting options every `mode.*` factory takes (`rate`, `paths`, `when`), and `when`'s shape. */
export type { ModeTargeting, WhenOptions, RetryHint, CutClose } from '../contract/index.ts';

// Scoring and SLOs
export { ragAnswer, customScorer } from './scenario/define-scenario.ts';
export type { CustomScoreSpec, ScorerSample, ScorerVerdict, QuestionTruth } from './scenario/types.ts';
export { METRIC_NAMES, OUTCOMES } from './scenario/metrics.ts';
export type { MetricName, Outcome } from './scenario/metrics.ts';

// Validation (for tools that load scenarios themselves)
export { resolveScenario } from './scenario/resolve-scenario.ts';
export type { ResolvedScenario } from './scenario/types.ts';

// Results
export type { RunResult, PhaseResult, SampleRecord, SloVerdict, FaultEvidence, SeriesPoint } from './results/result-types.ts';
export { SCHEMA_VERSION } from './results/result-types.ts';
export { ShakedownError } from './errors.ts';

// Running a scenario from code (`shakedown/vitest` adds SLO matchers to vitest's expect)
export { run } from './run.ts';
export type { RunOptions, RunOutput } from './run.ts';
export type { RunEvent } from './runner/run-scenario.ts';
