/**
 * fast-check arbitraries over a scenario's fault space: a schedule is 1..maxFaults faults, each a (dependency,
 * kind) choice of the space, a severity 0..100, a window length and a place in the trial between its baseline
 * and its recovery time. Every part shrinks towards the mild end: fewer faults (each slot shrinks to absent),
 * the space's first choices, severity 0 (the range's mild end), the shortest window and the earliest start.
 */
import fc from 'fast-check';
import {
  EXPLORE_KINDS,
  mode,
  toxic,
  type ExploreKind,
  type FaultAction,
  type FaultOptions,
  type ResolvedExplore,
} from '../scenario/index.ts';

/** Severity runs 0 (the range's mild end) to SEVERITY_MAX (its harsh end). */
export const SEVERITY_MAX = 100;
/** Window starts and lengths are whole multiples of this, so schedules print and replay cleanly. */
export const SCHEDULE_STEP_MS = 100;

/** One generated fault, before it becomes the scenario's `FaultOptions`. */
export interface ScheduledFault {
  on: string;
  kind: ExploreKind;
  /** 0..SEVERITY_MAX: where the intensity lies between the range's mild and harsh ends. */
  severity: number;
  at_ms: number;
  for_ms: number;
}

/** The intensity at `severity` of `range` `[mild, harsh]`, in the kind's unit: rates to 0.01, the rest whole. */
export function intensityAt(kind: ExploreKind, range: readonly [number, number], severity: number): number {
  const v = range[0] + ((range[1] - range[0]) * severity) / SEVERITY_MAX;
  return EXPLORE_KINDS[kind].unit === 'rate' ? Math.round(v * 100) / 100 : Math.round(v);
}

/** The fault action of `kind` at `intensity` (its unit in EXPLORE_KINDS); other parameters take fixed values. */
export function faultActionOf(kind: ExploreKind, intensity: number): FaultAction {
  const rate = intensity;
  switch (kind) {
    case 'latency':
      return toxic.latency({ latency: intensity });
    case 'bandwidth':
      return toxic.bandwidth({ rate: Math.max(1, intensity) });
    case 'slow_close':
      return toxic.slowClose({ delay: intensity });
    case 'timeout':
      return toxic.timeout({ timeout: intensity });
    case 'reset_peer':
      return toxic.resetPeer({ timeout: intensity });
    case 'slicer':
      return toxic.slicer({ averageSize: 64, delay: intensity });
    case 'limit_data':
      return toxic.limitData({ bytes: intensity });
    case 'down':
      return toxic.down();
    case 'http_error':
      return mode.httpError({ status: 500, rate });
    case 'rate_limit':
      return mode.rateLimit({ rate });
    case 'error_body':
      return mode.errorBody({ rate });
    case 'stream_stall':
      return mode.streamStall({ afterChunks: 2, rate });
    case 'stream_cut':
      return mode.streamCut({ afterChunks: 2, rate });
    case 'drop_facts':
      return mode.dropFacts({ rate });
    case 'perturb_numbers':
      return mode.perturbNumbers({ rate });
    case 'wrong_citations':
      return mode.wrongCitations({ rate });
    case 'truncate':
      return mode.truncate({ rate });
    case 'refuse':
      return mode.refuse({ rate });
    case 'stale':
      return mode.stale({ rate });
    case 'empty':
      return mode.empty({ rate });
    case 'irrelevant':
      return mode.irrelevant({ rate });
    case 'partial':
      return mode.partial({ rate });
    case 'schema_drift':
      return mode.schemaDrift({ rate });
    case 'stale_values':
      return mode.staleValues({ rate });
  }
}

/** A generated fault as the scenario's `faults[]` entry (durations in ms). */
export function faultOptionsOf(fault: ScheduledFault, space: ResolvedExplore): FaultOptions {
  const choice = space.choices.find((c) => c.on === fault.on && c.kind === fault.kind);
  if (!choice) throw new Error(`${fault.on}.${fault.kind} is not in the explore space`);
  return {
    on: fault.on,
    at: fault.at_ms,
    for: fault.for_ms,
    fault: faultActionOf(fault.kind, intensityAt(fault.kind, choice.range, fault.severity)),
  };
}

const step = (ms: number) => Math.round(ms / SCHEDULE_STEP_MS);

/** A fault's generated parts: severity, window length in SCHEDULE_STEP_MS, and its place in the room (0..1000). */
interface FaultParts {
  severity: number;
  length: number;
  place: number;
}

function windowSteps(space: ResolvedExplore): { min: number; max: number } {
  const min = Math.ceil(space.window.min_ms / SCHEDULE_STEP_MS);
  return { min, max: Math.max(step(space.window.min_ms), Math.floor(space.window.max_ms / SCHEDULE_STEP_MS)) };
}

/** The room a window can move in: the trial less its baseline and recovery. */
const roomOf = (space: ResolvedExplore) => space.trial.duration_ms - space.trial.baseline_ms - space.trial.recovery_ms;

function faultOf(space: ResolvedExplore, on: string, kind: ExploreKind, { severity, length, place }: FaultParts): ScheduledFault {
  const for_ms = length * SCHEDULE_STEP_MS;
  const slack = Math.max(0, Math.floor((roomOf(space) - for_ms) / SCHEDULE_STEP_MS));
  return {
    on,
    kind,
    severity: kind === 'down' ? 0 : severity,
    for_ms,
    at_ms: space.trial.baseline_ms + Math.round((place / 1000) * slack) * SCHEDULE_STEP_MS,
  };
}

const partsArbitrary = (space: ResolvedExplore) =>
  fc.record({
    severity: fc.integer({ min: 0, max: SEVERITY_MAX }),
    length: fc.integer(windowSteps(space)),
    place: fc.integer({ min: 0, max: 1000 }),
  });

/** One fault of the space: the choice, severity, window length and start (placed after the trial's baseline). */
export function faultArbitrary(space: ResolvedExplore): fc.Arbitrary<ScheduledFault> {
  return fc
    .record({ choice: fc.integer({ min: 0, max: space.choices.length - 1 }), parts: partsArbitrary(space) })
    .map(({ choice, parts }) => faultOf(space, space.choices[choice].on, space.choices[choice].kind, parts));
}

/**
 * `explore --cover`: one fault of one (dependency, kind) choice alone, and its harshest schedule (the range's harsh
 * end over the longest window, from the end of the baseline). fast-check runs the harsh schedule as its example
 * and, when it fails, shrinks it like any generated one (milder, shorter, later): the arbitrary maps back from a
 * schedule to its parts for that.
 */
export function aloneArbitrary(
  space: ResolvedExplore,
  choice: { on: string; kind: ExploreKind },
): { arbitrary: fc.Arbitrary<ScheduledFault[]>; harshest: ScheduledFault[] } {
  const { max } = windowSteps(space);
  const unmap = (value: unknown): FaultParts => {
    const f = Array.isArray(value) && value.length === 1 ? (value[0] as ScheduledFault) : undefined;
    if (!f || f.on !== choice.on || f.kind !== choice.kind) throw new Error('not a schedule of this choice');
    const length = Math.round(f.for_ms / SCHEDULE_STEP_MS);
    const slack = Math.max(0, Math.floor((roomOf(space) - f.for_ms) / SCHEDULE_STEP_MS));
    const placed = (f.at_ms - space.trial.baseline_ms) / SCHEDULE_STEP_MS;
    return { severity: f.severity, length, place: slack === 0 ? 0 : Math.round((placed / slack) * 1000) };
  };
  return {
    arbitrary: partsArbitrary(space).map((parts) => [faultOf(space, choice.on, choice.kind, parts)], unmap),
    harshest: [faultOf(space, choice.on, choice.kind, { severity: SEVERITY_MAX, length: max, place: 0 })],
  };
}

/**
 * 1..`max` values, each slot present or not. fast-check's array shrinker removes items from the front only
 * ([40, 40, 0] stays three long when [40, 40] fails too); an optional slot shrinks to absent on its own, so
 * any one fault can go.
 */
export function someOf<T>(item: fc.Arbitrary<T>, max: number): fc.Arbitrary<T[]> {
  const slot = fc.option(item, { nil: null, freq: 2 });
  return fc
    .tuple(...Array.from({ length: max }, () => slot))
    .filter((slots) => slots.some((s) => s !== null))
    .map((slots) => slots.filter((s): s is T => s !== null));
}

/** A schedule: 1..maxFaults faults, in start order. */
export function scheduleArbitrary(space: ResolvedExplore): fc.Arbitrary<ScheduledFault[]> {
  return someOf(faultArbitrary(space), space.maxFaults).map((faults) => [...faults].sort((a, b) => a.at_ms - b.at_ms));
}
