/**
 * The scenario model: what a scenario file declares (`ScenarioOptions`, fields optional where a default
 * exists) and what the runner works from after validation and defaults (`ResolvedScenario`).
 */
import type { Duration } from './duration.ts';
import type { FaultAction } from './faults.ts';
import type { MetricName, SloExpression } from './metrics.ts';

/** Kinds of built-in fakes (docs/architecture.md). */
export type FakeKind = 'model' | 'retrieval' | 'inventory';

/** A dependency's fake: plain data that the fakes child process turns into msw handlers on a port. */
export interface FakeSpec {
  kind: FakeKind;
  options: Record<string, unknown>;
}

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

/** Where request bodies come from. */
export type RequestSource =
  | { kind: 'dataset-questions'; method: 'POST'; path: string; field: string; categories?: string[]; stream?: boolean }
  | { kind: 'static'; method: string; path: string; body?: unknown; headers?: Record<string, string> };

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
  | ({ executor: 'ramping-arrival-rate'; startRate?: number; stages: { target: number; duration: Duration }[]; connections?: number } & Omit<LoadCommon, 'duration'> & { duration?: Duration });

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

export type SloOptions = Partial<Record<PhaseSelector, Partial<Record<MetricName, string>>>>;

/** The declarative scorer for RAG answers (issue 3 widens scoring). */
export interface ScoreSpec {
  kind: 'rag-answer';
  /** Response field holding the answer text. Default `answer`. */
  answer: string;
  /** Response field holding the cited ids. Default `citations`. */
  citations: string;
  /** A sample scores `ok` when its fact recall reaches this. Default 1. */
  okRecall: number;
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
  score?: ScoreSpec;
  /** Recovery detection: consecutive 1-second buckets back within tolerance of baseline. Defaults 3, 1.5 and 50 ms (p95 ≤ max(1.5 × baseline p95, baseline p95 + 50 ms), error rate ≤ baseline + 1 %): the slack keeps a few ms of noise on a fast baseline from reading as 'not recovered'. */
  recovery?: { buckets?: number; latencyFactor?: number; latencySlackMs?: number };
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
  metric: MetricName;
  expression: SloExpression;
}

export type ResolvedLoad =
  | { executor: 'constant-vus'; vus: number; duration_ms: number; warmup_ms: number; timeout_ms: number; requests: RequestSource }
  | { executor: 'constant-arrival-rate'; rate: number; connections: number; duration_ms: number; warmup_ms: number; timeout_ms: number; requests: RequestSource }
  | { executor: 'ramping-arrival-rate'; startRate: number; stages: { target: number; duration_ms: number }[]; connections: number; duration_ms: number; warmup_ms: number; timeout_ms: number; requests: RequestSource };

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
  score?: ScoreSpec;
  recovery: { buckets: number; latencyFactor: number; latencySlackMs: number };
}
