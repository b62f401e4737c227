/**
 * The scenario model: what a scenario file declares (`ScenarioOptions`, fields optional where a default
 * exists) and what the runner works from after validation and defaults (`ResolvedScenario`).
 */
import type { Duration } from './duration.ts';
import type { ExploreOptions, ResolvedExplore } from './explore-space.ts';
import type { FaultAction } from './faults.ts';
import type { DependencyMetricName, MetricName, SloExpression, SloMetricName } from './metrics.ts';

import type { FakeKind, FakeSpec } from '../../contract/index.ts';

/** A dependency's fake (`FakeSpec`): plain data that the fakes child process turns into msw handlers on a port. */
export type { FakeKind, FakeSpec } from '../../contract/index.ts';

/** What the SUT is given for each dependency: the proxy's address, never the fake's. */
export interface DependencyAddress {
  /** `http://127.0.0.1:PORT` of the Toxiproxy proxy in front of the fake. */
  url: string;
  host: string;
  port: number;
}

export interface ReadyOptions {
  /** Path polled with GET until it answers `status`. Default `/health`. */
  path?: string;
  /** How long to wait. Default `15s`. */
  timeout?: Duration;
  /** Expected status. Default 200. */
  status?: number;
}

/** The SUT started by the harness: `command[0]` of `node` means the harness's own Node (24). */
export interface CommandSystemOptions {
  command: string[];
  /** Working directory, relative to the scenario file's project root (the current directory). */
  cwd?: string;
  /** Extra environment, or a function of the proxied dependency addresses. */
  env?: Record<string, string> | ((deps: Record<string, DependencyAddress>) => Record<string, string>);
  ready?: ReadyOptions;
  /** Base URL of the SUT once started. Default: read from its stdout (`http://127.0.0.1:PORT`), or `PORT` env. */
  url?: string;
}

/** An SUT that is already running at `url`. */
export interface UrlSystemOptions {
  url: string;
  ready?: ReadyOptions;
}

export type SystemOptions = CommandSystemOptions | UrlSystemOptions;

/**
 * How a streamed response (`content-type: text/event-stream`) is read into time to first token, inter-token
 * latency and stream aborts. Each list replaces its default; paths are dot paths into an event's JSON data
 * (`choices.0.delta.content`).
 */
export interface SseRuleOptions {
  /** The first path holding a non-empty string makes the event a token event. Default `['delta', 'choices.0.delta.content', 'text']`. */
  token?: string[];
  /** A path holding `true` or a non-empty string completes the stream. Default `['done', 'finish_reason', 'choices.0.finish_reason']`. */
  done?: string[];
  /** `data:` payloads that complete the stream. Default `['[DONE]']`. */
  doneData?: string[];
  /** A path holding a value other than null/false makes the event an error event (as does `event: error`). Default `['error']`. */
  error?: string[];
}

/** Where request bodies come from. `sse`: how to read streamed responses (any source; default rule when absent). */
export type RequestSource =
  | {
      kind: 'dataset-questions';
      method: 'POST';
      path: string;
      field: string;
      categories?: string[];
      stream?: boolean;
      sse?: SseRuleOptions;
    }
  | { kind: 'static'; method: string; path: string; body?: unknown; headers?: Record<string, string>; sse?: SseRuleOptions };

interface LoadCommon {
  /** Length of measured load. */
  duration: Duration;
  /** Unmeasured load before `t0`, at the executor's first rate. Default `3s`. */
  warmup?: Duration;
  /** Per-request timeout. Default `10s`. */
  timeout?: Duration;
  requests: RequestSource;
}

/** k6's executor names. Open-model executors start requests at an even pace whatever the SUT does. */
export type LoadOptions =
  | ({ executor: 'constant-vus'; vus: number } & LoadCommon)
  | ({ executor: 'constant-arrival-rate'; rate: number; connections?: number } & LoadCommon)
  | ({
      executor: 'ramping-arrival-rate';
      startRate?: number;
      stages: { target: number; duration: Duration }[];
      connections?: number;
    } & Omit<LoadCommon, 'duration'> & { duration?: Duration });

export interface FaultOptions {
  /** The dependency the fault hits (a key of `dependencies`). */
  on: string;
  /** Offset from the start of measured load. */
  at: Duration;
  /** How long the fault lasts. */
  for: Duration;
  fault: FaultAction;
  /** Phase name. Default `<on>-<type>` (`model-latency`), made unique with a suffix. */
  name?: string;
}

/** Phases an SLO applies to: every phase of a kind, or one phase by name. */
export type PhaseSelector = 'baseline' | 'fault' | 'recovery' | 'all' | (string & {});

export type SloOptions = Partial<
  Record<PhaseSelector, Partial<Record<MetricName, string>> & { [dependencyMetric: `${string}.${DependencyMetricName}`]: string }>
>;

/** The declarative scorer for RAG answers (`ragAnswer()`): reads the answer and citations from response fields. */
export interface ScoreSpec {
  kind: 'rag-answer';
  /** Response field holding the answer text. Default `answer`. */
  answer: string;
  /** Response field holding the cited ids (an array of strings). Default `citations`. */
  citations: string;
  /** A sample scores `ok` when its fact recall reaches this. Default 1. */
  okRecall: number;
  /** Texts the SUT answers with when it falls back (compared case- and whitespace-insensitively), besides the built-in patterns. Default none. */
  fallbackTexts?: string[];
  /** The same answer text for this many distinct questions in a run is a silent fallback; 0 turns the check off. Default 3. */
  repeatedAnswer?: number;
}

/** `ragAnswer()` after defaults. */
export type ResolvedRagScoreSpec = Required<ScoreSpec>;

/** The ground truth of a dataset question (fakes/dataset/questions.json). */
export interface QuestionTruth {
  id: string;
  question: string;
  category: string;
  facts: string[];
  stale_facts: string[];
  relevant_ids: string[];
  skus?: string[];
}

/** What a custom scorer sees of one sample that got a response (transport failures and HTTP errors are classified by the harness first). */
export interface ScorerSample {
  status: number;
  /** The response body (capped at the load engine's body cap, 4,096 characters by default). */
  body: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
  latency_ms: number;
  /** The request sent (for dataset requests `{ question }`). */
  request: unknown;
  question_id?: string;
  category?: string;
  /** What the fakes logged for this request (joined by trace id), or null when the SUT does not forward traceparent. */
  evidence: {
    returned_ids: string[];
    retrieval_calls: number;
    model_cited_ids: string[];
    calls: Record<string, { calls: number; errors: number; ms: number }>;
  } | null;
}

/** A custom scorer's verdict on one sample: `outcome` one of OUTCOMES, `quality` in [0, 1], `reasons` optional. */
export interface ScorerVerdict {
  outcome: string;
  quality: number;
  reasons?: string[];
}

/** A scorer written as a function (`customScorer(fn)`); its return value is validated per sample. */
export interface CustomScoreSpec {
  kind: 'custom';
  /** Shown in reasons and problems. Default the function's name, else `custom`. */
  name: string;
  score: (sample: ScorerSample, truth: QuestionTruth | undefined) => ScorerVerdict;
}

export interface ScenarioOptions {
  name: string;
  description?: string;
  /** Default seed; `--seed` overrides; otherwise random and printed. */
  seed?: number;
  system: SystemOptions;
  dependencies: Record<string, FakeSpec>;
  load: LoadOptions;
  faults?: FaultOptions[];
  slos?: SloOptions;
  score?: ScoreSpec | CustomScoreSpec;
  /**
   * Removed: score v1's component weights. Resilience score v2 has none (README "Resilience score"); a scenario
   * that sets it is refused with that message.
   */
  scoreWeights?: never;
  /**
   * The latency budget ('3s' or ms): an answer later than this is not available (README "Outcome ranking").
   * Default: the tightest `p95_ms`/`p99_ms` SLO threshold, else the request timeout.
   */
  latencyBudget?: string | number;
  /** Recovery detection: consecutive 1-second buckets back within tolerance of baseline. Defaults 3, 1.5 and 50 ms (p95 ≤ max(1.5 × baseline p95, baseline p95 + 50 ms), error rate ≤ baseline + 1 %): the slack keeps a few ms of noise on a fast baseline from reading as 'not recovered'. */
  recovery?: { buckets?: number; latencyFactor?: number; latencySlackMs?: number };
  /** The fault space `shakedown explore` searches (README "Exploring the fault space"); ignored by `run`. */
  explore?: ExploreOptions;
}

export interface ResolvedFault {
  name: string;
  on: string;
  at_ms: number;
  for_ms: number;
  fault: FaultAction;
  description: string;
}

export interface ResolvedPhase {
  name: string;
  kind: 'baseline' | 'fault' | 'recovery';
  start_ms: number;
  end_ms: number;
  /** Names of the faults active during the phase. */
  faults: string[];
}

export interface ResolvedSlo {
  selector: PhaseSelector;
  metric: SloMetricName;
  expression: SloExpression;
  /** Set for a `<dependency>.<metric>` SLO (harness/metrics/dependency-calls.ts). */
  dependency?: { name: string; metric: DependencyMetricName };
}

export type ResolvedLoad =
  | { executor: 'constant-vus'; vus: number; duration_ms: number; warmup_ms: number; timeout_ms: number; requests: RequestSource }
  | {
      executor: 'constant-arrival-rate';
      rate: number;
      connections: number;
      duration_ms: number;
      warmup_ms: number;
      timeout_ms: number;
      requests: RequestSource;
    }
  | {
      executor: 'ramping-arrival-rate';
      startRate: number;
      stages: { target: number; duration_ms: number }[];
      connections: number;
      duration_ms: number;
      warmup_ms: number;
      timeout_ms: number;
      requests: RequestSource;
    };

export interface ResolvedSystem {
  kind: 'command' | 'url';
  command?: string[];
  cwd?: string;
  env?: CommandSystemOptions['env'];
  url?: string;
  ready: { path: string; timeout_ms: number; status: number };
}

export interface ResolvedScenario {
  name: string;
  description: string;
  seed?: number;
  system: ResolvedSystem;
  dependencies: Record<string, FakeSpec>;
  load: ResolvedLoad;
  faults: ResolvedFault[];
  phases: ResolvedPhase[];
  slos: ResolvedSlo[];
  score?: ResolvedRagScoreSpec | CustomScoreSpec;
  recovery: { buckets: number; latencyFactor: number; latencySlackMs: number };
  explore?: ResolvedExplore;
  /** `latencyBudget` in ms, when the scenario set it. */
  latencyBudget_ms?: number;
}
