/**
 * Validates a scenario file's default export and applies defaults. Collects every problem (never stops at
 * the first) and reports each as `file: path must be ...`. Does no I/O and never mutates its input.
 */
import { factoryOptionsOf, MODE_APPLIES_TO, type ModeKind } from '../../contract/index.ts';
import { dependencyExtensionProblems } from './extension-options.ts';
import { parseDuration } from './duration.ts';
import { checkExplore, resolveExplore } from './explore-space.ts';
import { describeFault } from './faults.ts';
import { createFaultTimeline } from './fault-timeline.ts';
import { formatIssue, formatPath } from './format-issues.ts';
import { closestKey, knownKeysAt } from './known-keys.ts';
import {
  METRIC_NAMES,
  QUALITY_METRICS,
  parseDependencyMetricKey,
  parseSloExpression,
  type MetricName,
  type SloMetricName,
} from './metrics.ts';
import { SCENARIO_DEFAULTS as D, defaultConnections } from './defaults.ts';
import { scenarioSchema, systemSchemaFor } from './schema.ts';
import type {
  FakeKind,
  FaultOptions,
  ResolvedFault,
  ResolvedLoad,
  ResolvedScenario,
  ResolvedSlo,
  ResolvedSystem,
  ScenarioOptions,
} from './types.ts';

export type ResolveResult = { ok: true; scenario: ResolvedScenario } | { ok: false; problems: string[] };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function loadDurationMs(load: Record<string, unknown>): number | undefined {
  if (load.executor === 'ramping-arrival-rate' && Array.isArray(load.stages)) {
    let total = 0;
    for (const s of load.stages) {
      const d = isRecord(s) ? parseDuration(s.duration) : undefined;
      if (d === undefined) return undefined;
      total += d;
    }
    return total;
  }
  return parseDuration(load.duration);
}

/** Cross-field rules, checked on the raw input so they add to (not replace) structural problems. */
/**
 * The requests an open-model load sends in its measured time (the warm-up's not counted): rate × duration, or the
 * integral of a ramp's stages (linear from the previous target, the first from `startRate`, default 0). Undefined
 * for `constant-vus` (a closed model sends as fast as the SUT answers) and for fields not valid yet.
 */
export function expectedRequests(load: Record<string, unknown>): number | undefined {
  if (load.executor === 'constant-arrival-rate') {
    const duration_ms = parseDuration(load.duration);
    return typeof load.rate === 'number' && load.rate > 0 && duration_ms ? (load.rate * duration_ms) / 1000 : undefined;
  }
  if (load.executor !== 'ramping-arrival-rate' || !Array.isArray(load.stages)) return undefined;
  let from = typeof load.startRate === 'number' ? load.startRate : 0;
  let total = 0;
  for (const stage of load.stages) {
    const ms = isRecord(stage) ? parseDuration(stage.duration) : undefined;
    if (!isRecord(stage) || typeof stage.target !== 'number' || ms === undefined) return undefined;
    total += ((from + stage.target) / 2) * (ms / 1000);
    from = stage.target;
  }
  return total;
}

function crossCheck(input: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const deps = isRecord(input.dependencies) ? input.dependencies : {};
  const load = isRecord(input.load) ? input.load : {};
  const duration_ms = loadDurationMs(load);
  if (duration_ms === 0) problems.push('load.duration must be longer than 0');
  if (load.executor === 'ramping-arrival-rate' && load.duration !== undefined && duration_ms !== undefined) {
    const given = parseDuration(load.duration);
    if (given !== undefined && given !== duration_ms)
      problems.push(`load.duration must equal the sum of load.stages durations (${duration_ms} ms) or be left out`);
  }
  const expected = expectedRequests(load);
  if (expected !== undefined && expected < 1)
    problems.push(
      `load sends about ${expected < 0.01 ? expected.toExponential(1) : Math.round(expected * 100) / 100} requests in its measured time (rate × duration): fewer than 1, nothing to measure; raise the rate or the duration`,
    );
  const source = isRecord(load.requests) ? load.requests : undefined;
  if (source?.kind === 'dataset-questions' && source.sse !== undefined && source.stream !== true) {
    problems.push('load.requests.sse applies only to streamed answers: add stream: true');
  }
  problems.push(...dependencyExtensionProblems(deps));
  const faults = Array.isArray(input.faults) ? input.faults : [];
  const names = new Set<string>();
  faults.forEach((raw, i) => {
    if (!isRecord(raw)) return;
    const on = raw.on;
    if (typeof on === 'string' && !Object.hasOwn(deps, on)) {
      const known = Object.keys(deps);
      problems.push(
        `faults[${i}].on must name a dependency (${known.length ? known.map((k) => `'${k}'`).join(', ') : 'none declared'}), got '${on}'${closestKey(on, known) ? ` (did you mean '${closestKey(on, known)}'?)` : ''}`,
      );
    }
    const at = parseDuration(raw.at);
    const len = parseDuration(raw.for);
    if (len === 0) problems.push(`faults[${i}].for must be longer than 0`);
    if (at !== undefined && len !== undefined && duration_ms !== undefined && at + len > duration_ms) {
      problems.push(`faults[${i}] must end within load.duration (${duration_ms} ms): it ends at ${at + len} ms`);
    }
    const action = isRecord(raw.fault) ? raw.fault : undefined;
    const mode = action && action.kind === 'mode' && isRecord(action.mode) ? action.mode : undefined;
    const dep = typeof on === 'string' && Object.hasOwn(deps, on) && isRecord(deps[on]) ? deps[on] : undefined;
    if (
      mode &&
      dep &&
      typeof mode.kind === 'string' &&
      Object.hasOwn(MODE_APPLIES_TO, mode.kind) &&
      !MODE_APPLIES_TO[mode.kind as ModeKind].includes(dep.kind as FakeKind)
    ) {
      problems.push(
        `faults[${i}].fault.mode.kind '${mode.kind}' does not apply to '${on}' (a ${label(dep.kind, 'unknown')} fake); it applies to: ${MODE_APPLIES_TO[mode.kind as ModeKind].join(', ')}`,
      );
    }
    if (
      action?.kind === 'toxic' &&
      action.type === 'latency' &&
      isRecord(action.attributes) &&
      typeof action.attributes.latency !== 'number'
    ) {
      const built = factoryOptionsOf(action);
      problems.push(built ? `faults[${i}].fault: ${built.factory} needs 'latency'` : `faults[${i}].fault.attributes.latency is required`);
    }
    const name = typeof raw.name === 'string' ? raw.name : undefined;
    if (name !== undefined) {
      if (names.has(name)) problems.push(`faults[${i}].name '${name}' is used by another fault`);
      if (['baseline', 'fault', 'recovery', 'all'].includes(name) || /^recovery-\d+$/.test(name))
        problems.push(`faults[${i}].name '${name}' is reserved for phase selectors`);
      names.add(name);
    }
  });
  if (isRecord(input.slos)) {
    const autoNames = resolveFaultNames(faults.filter(isRecord) as unknown as FaultOptions[]);
    const selectors = new Set(['baseline', 'fault', 'recovery', 'all', ...autoNames]);
    for (const [selector, metrics] of Object.entries(input.slos)) {
      if (!selectors.has(selector))
        problems.push(
          `slos.${selector} must be a phase selector: baseline, fault, recovery, all${autoNames.length ? `, or a fault name (${autoNames.join(', ')})` : ''}`,
        );
      if (!isRecord(metrics)) continue;
      for (const [metric, expression] of Object.entries(metrics)) {
        const dependencyKey = parseDependencyMetricKey(metric, isRecord(input.dependencies) ? Object.keys(input.dependencies) : []);
        if (typeof dependencyKey === 'string') {
          problems.push(`slos.${selector}.${metric} ${dependencyKey}`);
          continue;
        }
        if (dependencyKey) {
          if (typeof expression !== 'string') continue;
          const parsed = parseSloExpression(dependencyKey.metric, expression);
          if (typeof parsed === 'string') problems.push(`slos.${selector}.${metric} ${parsed}`);
          continue;
        }
        if (!(METRIC_NAMES as readonly string[]).includes(metric)) {
          problems.push(`slos.${selector}.${metric} is not a known metric; known: ${METRIC_NAMES.join(', ')}`);
          continue;
        }
        const requests = isRecord(input.load) && isRecord(input.load.requests) ? input.load.requests : undefined;
        if (
          ['ttft_ms', 'itl_ms', 'stream_abort_rate'].includes(metric) &&
          requests?.kind === 'dataset-questions' &&
          requests.stream !== true
        ) {
          problems.push(`slos.${selector}.${metric} needs streamed answers: use dataset.ask(path, { stream: true })`);
        }
        if (QUALITY_METRICS.has(metric as MetricName) && input.score === undefined)
          problems.push(`slos.${selector}.${metric} needs a scorer: add score (for example ragAnswer()) to the scenario`);
        if (metric === 'recovery_s' && selector !== 'recovery' && selector !== 'all' && !autoNames.includes(selector))
          problems.push(`slos.${selector}.recovery_s applies to recovery or to a fault name, not to ${selector}`);
        if (typeof expression !== 'string') continue;
        const parsed = parseSloExpression(metric as MetricName, expression);
        if (typeof parsed === 'string') problems.push(`slos.${selector}.${metric} ${parsed}`);
      }
    }
  }
  return problems;
}

/** A raw field as text for a name or message; never String() on input objects (a null-prototype one throws). */
function label(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

function faultType(f: FaultOptions): string {
  const a = f.fault as unknown;
  if (!isRecord(a)) return 'fault';
  if (a.kind === 'toxic') return label(a.type, 'toxic').replace(/_/g, '-');
  if (a.kind === 'mode' && isRecord(a.mode))
    return a.mode.kind === 'http_error' && a.mode.status === 429 ? 'rate-limit' : label(a.mode.kind, 'mode').replace(/_/g, '-');
  return label(a.kind, 'fault');
}

/**
 * Fault names: the given name as written, else `<on>-<type>` made unique with `-2`, `-3` (skipping names that
 * another fault uses or declares). Duplicate given names are a validation problem, reported by crossCheck.
 */
export function resolveFaultNames(faults: readonly FaultOptions[]): string[] {
  const declared = new Set(faults.flatMap((f) => (typeof f.name === 'string' ? [f.name] : [])));
  const taken = new Set<string>();
  return faults.map((f) => {
    if (typeof f.name === 'string') {
      taken.add(f.name);
      return f.name;
    }
    const base = `${label(f.on, 'fault')}-${faultType(f)}`;
    let name = base;
    for (let n = 2; taken.has(name) || declared.has(name); n++) name = `${base}-${n}`;
    taken.add(name);
    return name;
  });
}

function resolveLoad(load: ScenarioOptions['load'], room: number | null): ResolvedLoad {
  const warmup_ms = parseDuration(load.warmup) ?? D.warmup_ms;
  const timeout_ms = parseDuration(load.timeout) ?? D.requestTimeout_ms;
  const connectionsFor = (rate: number, given?: number) => given ?? defaultConnections(rate, timeout_ms, room);
  switch (load.executor) {
    case 'constant-vus':
      return {
        executor: 'constant-vus',
        vus: load.vus,
        duration_ms: parseDuration(load.duration)!,
        warmup_ms,
        timeout_ms,
        requests: load.requests,
      };
    case 'constant-arrival-rate':
      return {
        executor: 'constant-arrival-rate',
        rate: load.rate,
        connections: connectionsFor(load.rate, load.connections),
        duration_ms: parseDuration(load.duration)!,
        warmup_ms,
        timeout_ms,
        requests: load.requests,
      };
    case 'ramping-arrival-rate': {
      const stages = load.stages.map((s) => ({ target: s.target, duration_ms: parseDuration(s.duration)! }));
      const peak = Math.max(load.startRate ?? 0, ...stages.map((s) => s.target));
      return {
        executor: 'ramping-arrival-rate',
        startRate: load.startRate ?? 0,
        stages,
        connections: connectionsFor(peak, load.connections),
        duration_ms: stages.reduce((t, s) => t + s.duration_ms, 0),
        warmup_ms,
        timeout_ms,
        requests: load.requests,
      };
    }
  }
}

function resolveSystem(system: ScenarioOptions['system']): ResolvedSystem {
  const ready = {
    path: system.ready?.path ?? D.readyPath,
    timeout_ms: parseDuration(system.ready?.timeout) ?? D.readyTimeout_ms,
    status: system.ready?.status ?? D.readyStatus,
  };
  if ('command' in system) return { kind: 'command', command: system.command, cwd: system.cwd, env: system.env, url: system.url, ready };
  return { kind: 'url', url: system.url, ready };
}

/**
 * Validates and resolves a scenario.
 * @param input the scenario file's default export (any value)
 * @param file the file name to prefix each problem with (omitted: no prefix)
 * @returns the resolved scenario, or every problem found, each `file: path must be ...`
 */
const EXECUTORS = ['constant-vus', 'constant-arrival-rate', 'ramping-arrival-rate'] as const;

/** A `load.executor` that names no executor: the problem line, and the executor the rest of the block is checked as. */
function unknownExecutor(load: unknown): { problem: string; checkedAs: (typeof EXECUTORS)[number] } | undefined {
  if (!isRecord(load) || typeof load.executor !== 'string' || (EXECUTORS as readonly string[]).includes(load.executor)) return undefined;
  const meant = closestKey(load.executor, EXECUTORS);
  const checkedAs =
    (meant as (typeof EXECUTORS)[number] | undefined) ??
    ('stages' in load ? 'ramping-arrival-rate' : 'vus' in load ? 'constant-vus' : 'constant-arrival-rate');
  return {
    problem: `load.executor must be one of ${EXECUTORS.map((e) => `'${e}'`).join(', ')} (got '${load.executor}')${meant ? ` (did you mean '${meant}'?)` : ''}; the other load fields are checked as ${checkedAs}'s`,
    checkedAs,
  };
}

/**
 * @param openFileRoom how many more files this process may open (the default `load.connections` stays within it,
 *   see defaults.ts); null: unknown. Callers that run the scenario pass harness/load's `readOpenFileRoom()`.
 */
export function resolveScenario(input: unknown, file?: string, openFileRoom: number | null = null): ResolveResult {
  const prefix = file ? `${file}: ` : '';
  if (!isRecord(input)) {
    return {
      ok: false,
      problems: [
        `${prefix}the default export must be a scenario object (use export default defineScenario({...})), got ${input === undefined ? 'nothing' : input === null ? 'null' : Array.isArray(input) ? 'an array' : typeof input}`,
      ],
    };
  }
  // An unknown load.executor stops zod's union at the discriminator, hiding every other problem of the load
  // block: it is reported here (with a did-you-mean), and the rest of the block is checked as the executor meant
  // (the closest name, else the one its fields suggest).
  const executorProblem = unknownExecutor(input.load);
  const subject = executorProblem ? { ...input, load: { ...(input.load as object), executor: executorProblem.checkedAs } } : input;
  const parsed = scenarioSchema.safeParse(subject, { reportInput: true });
  const suggest = (path: readonly PropertyKey[], key: string) => {
    // An object a fault factory built: the factory's option names (latancy → latency), not the wire fields.
    const built = factoryOptionsOf(valueAt(subject, path));
    if (built) return closestKey(key, built.known);
    const known = knownKeysAt(scenarioSchema, subject, path);
    return known && closestKey(key, known);
  };
  const problems = [
    ...(executorProblem ? [executorProblem.problem] : []),
    ...(parsed.success ? [] : parsed.error.issues.flatMap((issue) => factoryOptionMissing(subject, issue) ?? formatIssue(issue, suggest))),
  ];
  const systemIsObject = isRecord(input.system) && ('command' in input.system || 'url' in input.system);
  const system = systemIsObject ? systemSchemaFor(input.system).safeParse(input.system, { reportInput: true }) : undefined;
  if (system && !system.success) {
    const commandOnly = new Set(['env', 'cwd']);
    for (const issue of system.error.issues) {
      // With url and no command, env and cwd are known fields that only a started SUT can use.
      if (issue.code === 'unrecognized_keys' && issue.path.length === 0 && !('command' in (input.system as object))) {
        for (const key of issue.keys)
          problems.push(
            commandOnly.has(key)
              ? `system.${key} applies only with system.command (the harness does not start an SUT given by url)`
              : `system.${key} is not a known field`,
          );
        continue;
      }
      const systemSchema = systemSchemaFor(input.system);
      const suggestSystem = (path: readonly PropertyKey[], key: string) => {
        const known = knownKeysAt(systemSchema, input.system, path.slice(1));
        return known && closestKey(key, known);
      };
      problems.push(...formatIssue({ ...issue, path: ['system', ...issue.path] }, suggestSystem));
    }
  }
  problems.push(...crossCheck(subject), ...checkExplore(subject));
  if (!parsed.success || problems.length > 0) return { ok: false, problems: [...new Set(problems)].map((p) => prefix + p) };

  const s = parsed.data as unknown as ScenarioOptions;
  const load = resolveLoad(s.load, openFileRoom);
  if ('connections' in load && openFileRoom !== null && load.connections > openFileRoom) {
    const given = s.load.executor !== 'constant-vus' && s.load.connections !== undefined;
    return {
      ok: false,
      problems: [
        `${prefix}load.connections ${given ? 'is' : 'would be'} ${load.connections}${given ? '' : ' (2 × the peak rate: one connection per arrival in flight)'}, but this process may open only ${openFileRoom} more files and each connection holds one: ${given ? `set load.connections to at most ${openFileRoom}` : `lower load.rate to at most ${Math.floor(openFileRoom / 2)} req/s`}, or raise the open-file limit before running (ulimit -n ${Math.max(load.connections * 2, 1024)})`,
      ],
    };
  }
  const rawFaults = s.faults ?? [];
  const names = resolveFaultNames(rawFaults);
  const faults: ResolvedFault[] = rawFaults.map((f, i) => ({
    name: names[i],
    on: f.on,
    at_ms: parseDuration(f.at)!,
    for_ms: parseDuration(f.for)!,
    fault: f.fault,
    description: describeFault(f.fault),
  }));
  const slos: ResolvedSlo[] = [];
  for (const [selector, metrics] of Object.entries(s.slos ?? {})) {
    for (const [metric, text] of Object.entries(metrics ?? {})) {
      const dependency = parseDependencyMetricKey(metric, Object.keys(s.dependencies));
      const known = dependency !== null && typeof dependency === 'object' ? dependency : undefined;
      const expression = parseSloExpression(known ? known.metric : (metric as MetricName), text as string);
      if (typeof expression !== 'string')
        slos.push({
          selector,
          metric: metric as SloMetricName,
          expression,
          ...(known ? { dependency: { name: known.dependency, metric: known.metric } } : {}),
        });
    }
  }
  const phases = createFaultTimeline(faults, load.duration_ms);
  const empty = slos.filter((slo) =>
    slo.metric === 'recovery_s'
      ? faults.length === 0
      : slo.selector !== 'all' &&
        !phases.some((p) => p.kind === slo.selector || p.name === slo.selector || p.faults.includes(slo.selector)),
  );
  if (empty.length > 0) {
    return {
      ok: false,
      problems: empty.map(
        (slo) =>
          `${prefix}slos.${slo.selector}.${slo.metric} applies to no phase: this scenario's phases are ${phases.map((p) => `${p.name} (${p.kind})`).join(', ')}`,
      ),
    };
  }
  return {
    ok: true,
    scenario: {
      name: s.name,
      description: s.description ?? '',
      seed: s.seed,
      system: resolveSystem(s.system),
      dependencies: s.dependencies,
      load,
      faults,
      phases,
      slos,
      score:
        s.score === undefined
          ? undefined
          : s.score.kind === 'rag-answer'
            ? { ...s.score, fallbackTexts: s.score.fallbackTexts ?? [], repeatedAnswer: s.score.repeatedAnswer ?? D.repeatedAnswer }
            : s.score,
      recovery: {
        buckets: s.recovery?.buckets ?? D.recoveryBuckets,
        latencyFactor: s.recovery?.latencyFactor ?? D.recoveryLatencyFactor,
        latencySlackMs: s.recovery?.latencySlackMs ?? D.recoveryLatencySlackMs,
      },
      ...(s.explore ? { explore: resolveExplore(s.explore, load.duration_ms) } : {}),
      ...(s.latencyBudget === undefined ? {} : { latencyBudget_ms: parseDuration(s.latencyBudget)! }),
    },
  };
}

/** The value at `path` inside `root`, or undefined. */
function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let at = root;
  for (const key of path) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return at;
}

/**
 * A required field missing from an object a factory built with an unknown option (`mode.streamStall({ afterChunk:
 * 2 })`): named by the factory's option, not the wire field it fills (`mode.after_chunks`), beside the typo's own
 * "did you mean". Undefined for any other issue.
 */
function factoryOptionMissing(input: unknown, issue: { code: string; path: PropertyKey[]; input?: unknown }): string[] | undefined {
  if (issue.code !== 'invalid_type' || issue.input !== undefined) return undefined;
  const wire = issue.path.at(-1);
  if (typeof wire !== 'string') return undefined;
  const option = wire.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  for (let n = issue.path.length - 1; n > 0; n--) {
    const built = factoryOptionsOf(valueAt(input, issue.path.slice(0, n)));
    if (built)
      return built.known.includes(option) ? [`${formatPath(issue.path.slice(0, n))}: ${built.factory} needs '${option}'`] : undefined;
  }
  return undefined;
}
