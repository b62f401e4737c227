/**
 * The fault space of `shakedown explore`: a scenario's optional `explore` block says, per dependency, which
 * fault kinds a search may use and how strong each may get, how many faults may overlap, how long a window
 * lasts and how long a trial runs. Structure (zod) and cross-field rules, then defaults. No I/O.
 *
 * Every kind has one intensity, given as a range `[mildest, harshest]` in the kind's unit (EXPLORE_KINDS); a
 * trial's fault takes a severity 0..100 that maps linearly from the mild end to the harsh end, so fast-check's
 * shrinking (towards severity 0) makes a fault milder.
 */
import { z } from 'zod';
import { MODE_APPLIES_TO, type FakeKind, type ModeKind } from '../../contract/index.ts';
import { parseDuration, type Duration } from './duration.ts';

/** Each kind a space may name: its intensity's unit, default range `[mild, harsh]` and allowed bounds. */
export const EXPLORE_KINDS = Object.freeze({
  latency: { family: 'toxic', unit: 'ms', range: [100, 5000], min: 0, max: 600_000 },
  bandwidth: { family: 'toxic', unit: 'KB/s', range: [100, 1], min: 1, max: 1_000_000 },
  slow_close: { family: 'toxic', unit: 'ms', range: [100, 5000], min: 0, max: 600_000 },
  timeout: { family: 'toxic', unit: 'ms', range: [5000, 0], min: 0, max: 600_000 },
  reset_peer: { family: 'toxic', unit: 'ms', range: [5000, 0], min: 0, max: 600_000 },
  slicer: { family: 'toxic', unit: 'µs', range: [0, 10_000], min: 0, max: 10_000_000 },
  limit_data: { family: 'toxic', unit: 'bytes', range: [100_000, 0], min: 0, max: 1e9 },
  down: { family: 'toxic', unit: '', range: [0, 0], min: 0, max: 0 },
  http_error: { family: 'mode', unit: 'rate', range: [0.1, 1], min: 0, max: 1 },
  rate_limit: { family: 'mode', unit: 'rate', range: [0.1, 1], min: 0, max: 1 },
  error_body: { family: 'mode', unit: 'rate', range: [0.1, 1], min: 0, max: 1 },
  stream_stall: { family: 'mode', unit: 'rate', range: [0.1, 1], min: 0, max: 1 },
  stream_cut: { family: 'mode', unit: 'rate', range: [0.1, 1], min: 0, max: 1 },
  drop_facts: { family: 'mode', unit: 'rate', range: [0.1, 1], min: 0, max: 1 },
  perturb_numbers: { family: 'mode', unit: 'rate', range: [0.1, 1], min: 0, max: 1 },
  wrong_citations: { family: 'mode', unit: 'rate', range: [0.1, 1], min: 0, max: 1 },
  truncate: { family: 'mode', unit: 'rate', range: [0.1, 1], min: 0, max: 1 },
  refuse: { family: 'mode', unit: 'rate', range: [0.1, 1], min: 0, max: 1 },
  stale: { family: 'mode', unit: 'rate', range: [0.1, 1], min: 0, max: 1 },
  empty: { family: 'mode', unit: 'rate', range: [0.1, 1], min: 0, max: 1 },
  irrelevant: { family: 'mode', unit: 'rate', range: [0.1, 1], min: 0, max: 1 },
  partial: { family: 'mode', unit: 'rate', range: [0.1, 1], min: 0, max: 1 },
  schema_drift: { family: 'mode', unit: 'rate', range: [0.1, 1], min: 0, max: 1 },
  stale_values: { family: 'mode', unit: 'rate', range: [0.1, 1], min: 0, max: 1 },
} as const satisfies Record<
  string,
  { family: 'toxic' | 'mode'; unit: string; range: readonly [number, number]; min: number; max: number }
>);

export type ExploreKind = keyof typeof EXPLORE_KINDS;
const TOXIC_KINDS = Object.keys(EXPLORE_KINDS).filter((k) => EXPLORE_KINDS[k as ExploreKind].family === 'toxic') as ExploreKind[];
const MODE_KINDS = Object.keys(EXPLORE_KINDS).filter((k) => EXPLORE_KINDS[k as ExploreKind].family === 'mode') as ExploreKind[];

/** Defaults of the explore block (README "Exploring the fault space"). */
export const EXPLORE_DEFAULTS = Object.freeze({
  maxFaults: 2,
  windowMin_ms: 1000,
  windowMax_ms: 5000,
  /** Unmeasured load before each trial (also lets requests left over from the previous trial drain). */
  trialWarmup_ms: 1000,
  /** Fault-free time at the start of a trial (the baseline phase) and at its end (room to measure recovery). */
  trialBaseline_ms: 2000,
  trialRecovery_ms: 4000,
});

/** What a dependency's faults may be: toxics and modes by kind name, intensity ranges `[mild, harsh]` per kind. */
export interface ExploreDependencySpace {
  toxics?: ExploreKind[];
  modes?: ExploreKind[];
  ranges?: Partial<Record<ExploreKind, [number, number]>>;
}

/**
 * A property a trial must hold, judged beside the scenario's SLOs: a function of the trial's run result that
 * returns `true` (holds), `false` or a string (fails; the string says why). A property that throws stops the
 * search (exit 3): it is a bug in the property, not a failing schedule.
 */
export interface ExploreProperty {
  name: string;
  check: (result: TrialResult) => boolean | string;
}

/**
 * A trial's run result, the shape of results.json (`RunResult`): harness/results/result-types.ts adds its fields
 * to this interface, so this folder needs no import of the results (the import boundaries keep scenario files
 * free of everything but the contract).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface TrialResult {}

/** The `explore` block of a scenario. */
export interface ExploreOptions {
  /** Properties of a trial's result, beside the SLOs (README "Exploring the fault space"). */
  properties?: ExploreProperty[];
  space: Record<string, ExploreDependencySpace>;
  /** Most faults in one trial's schedule (they may overlap). Default 2. */
  maxFaults?: number;
  /** Bounds of one fault's window. Default 1s..5s. */
  window?: { min?: Duration; max?: Duration };
  /** One trial: measured `duration` (default the scenario's load.duration), `warmup` (1s), `baseline` (2s) and `recovery` (4s) with no fault. */
  trial?: { duration?: Duration; warmup?: Duration; baseline?: Duration; recovery?: Duration };
}

/** One fault kind a search may put on one dependency, with its intensity range. */
export interface ExploreChoice {
  on: string;
  kind: ExploreKind;
  range: readonly [number, number];
}

export interface ResolvedExplore {
  choices: ExploreChoice[];
  properties: ExploreProperty[];
  maxFaults: number;
  window: { min_ms: number; max_ms: number };
  trial: { duration_ms: number; warmup_ms: number; baseline_ms: number; recovery_ms: number };
}

const duration = z.custom<string | number>((v) => parseDuration(v) !== undefined, {
  error: (issue) => `must be a duration like '5s' or a number of milliseconds (got ${JSON.stringify(issue.input) ?? 'nothing'})`,
});
const kindName = z.enum(Object.keys(EXPLORE_KINDS) as [ExploreKind, ...ExploreKind[]]);

export const exploreSchema = z.strictObject({
  properties: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        check: z.custom<ExploreProperty['check']>((v) => typeof v === 'function', {
          message: 'must be a function (result) => true | false | "why it failed"',
        }),
      }),
    )
    .optional(),
  space: z.record(
    z.string(),
    z.strictObject({
      toxics: z.array(z.enum(TOXIC_KINDS as [ExploreKind, ...ExploreKind[]])).optional(),
      modes: z.array(z.enum(MODE_KINDS as [ExploreKind, ...ExploreKind[]])).optional(),
      ranges: z.partialRecord(kindName, z.tuple([z.number(), z.number()])).optional(),
    }),
  ),
  maxFaults: z.number().int().min(1).max(5).optional(),
  window: z.strictObject({ min: duration.optional(), max: duration.optional() }).optional(),
  trial: z
    .strictObject({
      duration: duration.optional(),
      warmup: duration.optional(),
      baseline: duration.optional(),
      recovery: duration.optional(),
    })
    .optional(),
});

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The cross-field rules of an explore block (its structure is checked by the schema): each space key names a
 * declared dependency, each mode applies to that dependency's fake, each range is within its kind's bounds and
 * names a kind the space lists, and a window fits in a trial between baseline and recovery.
 * @param input the whole raw scenario
 * @returns problems as `explore.path must ...`, none when the block is absent
 */
export function checkExplore(input: Record<string, unknown>): string[] {
  const explore = input.explore;
  if (!isRecord(explore)) return [];
  const problems: string[] = [];
  const deps = isRecord(input.dependencies) ? input.dependencies : {};
  const space = isRecord(explore.space) ? explore.space : {};
  if (isRecord(explore.space) && Object.keys(space).length === 0) problems.push('explore.space must name at least one dependency');
  for (const [name, raw] of Object.entries(space)) {
    if (!Object.hasOwn(deps, name)) {
      const known = Object.keys(deps).map((k) => `'${k}'`);
      problems.push(`explore.space.${name} must name a dependency (${known.join(', ') || 'none declared'})`);
      continue;
    }
    if (!isRecord(raw)) continue;
    const fake = isRecord(deps[name]) ? (deps[name].kind as FakeKind) : undefined;
    const listed = [...(Array.isArray(raw.toxics) ? raw.toxics : []), ...(Array.isArray(raw.modes) ? raw.modes : [])];
    if (listed.length === 0) problems.push(`explore.space.${name} must list at least one kind in toxics or modes`);
    (Array.isArray(raw.modes) ? raw.modes : []).forEach((kind, i) => {
      const wire = (kind === 'rate_limit' ? 'http_error' : kind) as ModeKind;
      if (fake && Object.hasOwn(MODE_APPLIES_TO, wire) && !MODE_APPLIES_TO[wire].includes(fake))
        problems.push(
          `explore.space.${name}.modes[${i}] '${String(kind)}' does not apply to '${name}' (a ${fake} fake); it applies to: ${MODE_APPLIES_TO[wire].join(', ')}`,
        );
    });
    for (const [kind, range] of Object.entries(isRecord(raw.ranges) ? raw.ranges : {})) {
      if (!Object.hasOwn(EXPLORE_KINDS, kind) || !Array.isArray(range)) continue;
      const spec = EXPLORE_KINDS[kind as ExploreKind];
      if (!listed.includes(kind)) problems.push(`explore.space.${name}.ranges.${kind} is for a kind not listed in toxics or modes`);
      if (range.some((v) => typeof v !== 'number' || v < spec.min || v > spec.max))
        problems.push(
          `explore.space.${name}.ranges.${kind} must hold two numbers from ${spec.min} to ${spec.max} (${spec.unit || 'no unit'}: [mildest, harshest])`,
        );
    }
  }
  const window = isRecord(explore.window) ? explore.window : {};
  const trial = isRecord(explore.trial) ? explore.trial : {};
  const min = parseDuration(window.min) ?? EXPLORE_DEFAULTS.windowMin_ms;
  const max = parseDuration(window.max) ?? EXPLORE_DEFAULTS.windowMax_ms;
  if (min <= 0) problems.push('explore.window.min must be longer than 0');
  if (min > max) problems.push(`explore.window.min (${min} ms) must not exceed explore.window.max (${max} ms)`);
  const load = isRecord(input.load) ? input.load : {};
  if (trial.duration !== undefined && load.executor === 'ramping-arrival-rate')
    problems.push('explore.trial.duration applies only to constant executors: a ramping load keeps its stages');
  const length = parseDuration(trial.duration) ?? parseDuration(load.duration);
  const baseline = parseDuration(trial.baseline) ?? EXPLORE_DEFAULTS.trialBaseline_ms;
  const recovery = parseDuration(trial.recovery) ?? EXPLORE_DEFAULTS.trialRecovery_ms;
  if (length !== undefined && baseline + max + recovery > length)
    problems.push(
      `explore.trial.duration (${length} ms) must hold baseline (${baseline} ms) + window.max (${max} ms) + recovery (${recovery} ms) = ${baseline + max + recovery} ms`,
    );
  if (baseline <= 0) problems.push('explore.trial.baseline must be longer than 0 (the trial needs a baseline phase)');
  return problems;
}

/** The explore block after defaults. Call only on a block that passed `exploreSchema` and `checkExplore`. */
export function resolveExplore(explore: ExploreOptions, loadDuration_ms: number): ResolvedExplore {
  const choices: ExploreChoice[] = [];
  for (const [on, space] of Object.entries(explore.space)) {
    for (const kind of [...(space.toxics ?? []), ...(space.modes ?? [])]) {
      const range = space.ranges?.[kind] ?? EXPLORE_KINDS[kind].range;
      choices.push({ on, kind, range: [range[0], range[1]] });
    }
  }
  return {
    choices,
    properties: explore.properties ?? [],
    maxFaults: explore.maxFaults ?? EXPLORE_DEFAULTS.maxFaults,
    window: {
      min_ms: parseDuration(explore.window?.min) ?? EXPLORE_DEFAULTS.windowMin_ms,
      max_ms: parseDuration(explore.window?.max) ?? EXPLORE_DEFAULTS.windowMax_ms,
    },
    trial: {
      duration_ms: parseDuration(explore.trial?.duration) ?? loadDuration_ms,
      warmup_ms: parseDuration(explore.trial?.warmup) ?? EXPLORE_DEFAULTS.trialWarmup_ms,
      baseline_ms: parseDuration(explore.trial?.baseline) ?? EXPLORE_DEFAULTS.trialBaseline_ms,
      recovery_ms: parseDuration(explore.trial?.recovery) ?? EXPLORE_DEFAULTS.trialRecovery_ms,
    },
  };
}
