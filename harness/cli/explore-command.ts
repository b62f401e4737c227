/**
 * `shakedown explore <scenario>`: searches the scenario's fault space (its `explore` block) for a schedule that
 * fails its SLOs, shrinks it, writes it as a scenario file, or with `--sweep` finds the intensity at which an
 * SLO first breaks. Writes explore.json and explore.html in a run folder. Exit codes as `run`: 0 no failure
 * found (or no breaking point in the sweep's range), 1 a failing schedule (or a breaking point), 2 usage, 3
 * infrastructure, 130 interrupted.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ShakedownError } from '../errors.ts';
import { exploredScenarioSource } from '../explore/explored-scenario-source.ts';
import {
  aloneArbitrary,
  faultActionOf,
  faultOptionsOf,
  intensityAt,
  scheduleArbitrary,
  type ScheduledFault,
} from '../explore/schedule-arbitrary.ts';
import { searchRounds, type KindChoice } from '../explore/search-rounds.ts';
import { differentialJudge, type DifferentialJudgement, type SideVerdict } from '../explore/differential-judge.ts';
import { searchSchedules, type SearchProgress, type TrialRecord } from '../explore/search-schedules.ts';
import { parseSweep, sweepSeverity, type SweepRun } from '../explore/severity-sweep.ts';
import { sweepSpaceOf, trialOverrides, trialScenario } from '../explore/trial-scenario.ts';
import { describeFailures, trialVerdict } from '../explore/trial-verdict.ts';
import type { ExploredFault, ExploreResult, ExploreTrial } from '../results/explore-types.ts';
import type { SloVerdict } from '../results/result-types.ts';
import { createRunFolder, writeJsonAtomic } from '../results/write-results.ts';
import { loadScenarioFile } from '../runner/load-scenario-file.ts';
import { freshSeed } from '../runner/random.ts';
import {
  describeFault,
  EXPLORE_KINDS,
  parseDuration,
  unitlessDuration,
  type ExploreKind,
  type ScenarioOptions,
} from '../scenario/index.ts';
import { renderExploreHtml } from '../../reports/explore-html.ts';
import { EXIT, type CliIO } from './cli-io.ts';
import { createTrialRunner } from './explore-trials.ts';

/** The judgement a trial gets once a fatal error (an interrupt) has stopped the search: it did not run. */
const NOT_RUN = 'not run';

export interface ExploreCommandOptions {
  seed?: string;
  path?: string;
  budget?: string;
  trials?: string;
  confirm?: string;
  restartPerTrial?: boolean;
  sweep?: string;
  repeats?: string;
  /** Distinct failures to find (each round leaves out the fault kinds of those found before). */
  failures?: string;
  /** First a round per (dependency, kind) choice: that kind alone at its harshest, shrunk when it fails. */
  cover?: boolean;
  /** A reference build's scenario: a failure counts only when the reference passes the same schedule. */
  reference?: string;
  out: string;
  quiet?: boolean;
}

/** Defaults of the explore command's options (README "Exploring the fault space"). */
export const EXPLORE_COMMAND_DEFAULTS = Object.freeze({ budget_ms: 600_000, trials: 100, confirmRuns: 1, repeats: 3, failures: 1 });

function usage(message: string): ShakedownError {
  return new ShakedownError('EXPLORE_USAGE', message, { exitCode: 2 });
}

function wholeNumber(option: string, value: string | undefined, fallback: number, min: number, max = 2 ** 32 - 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw usage(`${option} must be a whole number from ${min} to ${max} (got '${value}')`);
  return n;
}

export async function exploreCommand(file: string, opts: ExploreCommandOptions, io: CliIO): Promise<number> {
  const began = performance.now();
  const seed = opts.seed === undefined ? undefined : wholeNumber('--seed', opts.seed, 0, 0);
  const trials = wholeNumber('--trials', opts.trials, EXPLORE_COMMAND_DEFAULTS.trials, 1, 100_000);
  const confirmRuns = wholeNumber('--confirm', opts.confirm, EXPLORE_COMMAND_DEFAULTS.confirmRuns, 0, 10);
  const repeats = wholeNumber('--repeats', opts.repeats, EXPLORE_COMMAND_DEFAULTS.repeats, 1, 15);
  const maxFailures = wholeNumber('--failures', opts.failures, EXPLORE_COMMAND_DEFAULTS.failures, 1, 20);
  const budget_ms = opts.budget === undefined ? EXPLORE_COMMAND_DEFAULTS.budget_ms : parseDuration(opts.budget);
  if (budget_ms === undefined || budget_ms <= 0)
    throw usage(
      `--budget must be a duration like '10m' or '90s' (got '${opts.budget}'${budget_ms === 0 || Number(opts.budget) === 0 ? ': it must be longer than 0' : unitlessDuration(opts.budget) ? `: it has no unit; write ${opts.budget}m or ${opts.budget}s` : ''})`,
    );
  if (opts.path !== undefined && !/^\d+(:\d+)*$/.test(opts.path))
    throw usage(`--path must be fast-check's path, digits separated by ':' (got '${opts.path}')`);
  if (opts.path !== undefined && seed === undefined) throw usage('--path replays a search: give its --seed too');
  if (opts.repeats !== undefined && opts.sweep === undefined)
    throw usage('--repeats sets the runs at each --sweep point; without --sweep it would be ignored (the search uses --confirm)');

  const loaded = await loadScenarioFile(file, io.cwd);
  const { scenario } = loaded;
  const sweep = opts.sweep === undefined ? undefined : parseSweep(opts.sweep);
  if (typeof sweep === 'string') throw usage(sweep);
  const space = scenario.explore ?? (sweep ? sweepSpaceOf(scenario) : undefined);
  if (!space)
    throw usage(
      `${loaded.displayName}: has no explore block; add explore: { space: { <dependency>: { toxics: ['latency'], modes: ['http_error'] } } } (README "Exploring the fault space")`,
    );
  const raw = ((await import(pathToFileURL(loaded.file).href)) as { default: ScenarioOptions }).default;
  if (sweep && opts.reference !== undefined) throw usage('--reference judges the search, not --sweep: give one of them');
  const reference = opts.reference === undefined ? undefined : await loadReference(opts.reference);
  if (sweep) {
    if (!Object.hasOwn(scenario.dependencies, sweep.on))
      throw usage(
        `--sweep ${opts.sweep}: '${sweep.on}' is not a dependency of the scenario (${Object.keys(scenario.dependencies).join(', ')})`,
      );
    if (!Object.hasOwn(EXPLORE_KINDS, sweep.kind) || sweep.kind === 'down')
      throw usage(
        `--sweep ${opts.sweep}: '${sweep.kind}' is not a fault kind with an intensity (${Object.keys(EXPLORE_KINDS)
          .filter((k) => k !== 'down')
          .join(', ')})`,
      );
    try {
      const probe = faultActionOf(sweep.kind as ExploreKind, sweep.high);
      trialScenario(raw, space, [{ on: sweep.on, at: space.trial.baseline_ms, for: space.window.max_ms, fault: probe }]);
    } catch (error) {
      throw usage(`--sweep ${opts.sweep}: ${(error as Error).message.split('\n').slice(1).join('; ')}`);
    }
  }
  const runSeed = seed ?? scenario.seed ?? freshSeed();
  const overrides = trialOverrides(raw, space);
  const outDir = createRunFolder(resolve(io.cwd, opts.out), scenario.name, sweep ? 'sweep' : 'explore');
  const say = (line: string) => io.stdout.write(`${line}\n`);
  say(
    `shakedown explore: ${scenario.name} (${loaded.displayName}), seed ${runSeed} (replay with --seed ${runSeed}${opts.path ? ` --path ${opts.path}` : ''})`,
  );
  if (space.choices.length)
    say(
      `  space: ${space.choices.map((c) => `${c.on}.${c.kind}`).join(', ')}; up to ${space.maxFaults} faults of ${space.window.min_ms}–${space.window.max_ms} ms in ${space.trial.duration_ms} ms trials`,
    );
  if (overrides.dropped.length) say(`  not judged in trials (no such phase): ${overrides.dropped.join(', ')}`);
  if (reference)
    say(
      `  reference: ${reference.loaded.scenario.name} (${reference.loaded.displayName}); a failure counts only when the reference passes the same schedule`,
    );

  const trialRunner = createTrialRunner({
    scenario,
    raw,
    space,
    loaded,
    seed: runSeed,
    outDir,
    cwd: io.cwd,
    signal: io.signal,
    restartPerTrial: opts.restartPerTrial === true,
    warn: (text) => io.stderr.write(text),
  });
  const referenceRunner =
    reference &&
    createTrialRunner({
      scenario: reference.loaded.scenario,
      raw: reference.raw,
      space,
      loaded: reference.loaded,
      seed: runSeed,
      outDir,
      cwd: io.cwd,
      signal: io.signal,
      restartPerTrial: opts.restartPerTrial === true,
      warn: (text) => io.stderr.write(text),
    });
  const runTrial = trialRunner.run;
  const { stackTimes, trialTimes } = trialRunner;
  /** Every trial run's time, the reference's included (what a trial costs, for the cover's reserve). */
  const allTrialTimes = () => [...trialTimes, ...(referenceRunner?.trialTimes ?? [])];
  // A trial that could not run (a process died, an interrupt) must not read as a failing schedule to fast-check:
  // it is kept here, every later trial is skipped, and it is thrown once the search returns.
  let fatal: unknown;
  const guarded = async <T>(fn: () => Promise<T>, skipped: T): Promise<T> => {
    if (fatal !== undefined) return skipped;
    try {
      return await fn();
    } catch (error) {
      fatal = error;
      return skipped;
    }
  };

  const result: ExploreResult = {
    schemaVersion: 1,
    scenario: scenario.name,
    scenario_file: loaded.displayName,
    seed: runSeed,
    started_at: new Date().toISOString(),
    ended_at: '',
    options: {
      trials,
      budget_ms,
      confirm_runs: confirmRuns,
      restart_per_trial: opts.restartPerTrial === true,
      path: opts.path ?? null,
      ...(opts.cover ? { cover: true } : {}),
    },
    space: {
      choices: space.choices.map((c) => ({ on: c.on, kind: c.kind, range: [c.range[0], c.range[1]], unit: EXPLORE_KINDS[c.kind].unit })),
      maxFaults: space.maxFaults,
      window_ms: [space.window.min_ms, space.window.max_ms],
      trial_ms: space.trial.duration_ms,
    },
    dropped_slos: overrides.dropped,
    timings_ms: { start_stack: 0, trials_total: 0, per_trial_mean: null, total: 0 },
    search: null,
    sweep: null,
  };
  let code: number = EXIT.ok;
  try {
    if (sweep) code = await runSweep();
    else code = await runSearch();
  } finally {
    await trialRunner.close();
    await referenceRunner?.close();
  }
  const finish = () => {
    result.ended_at = new Date().toISOString();
    if (result.reference) result.reference.trials = referenceRunner?.trialTimes.length ?? 0;
    result.timings_ms = {
      start_stack: Math.round(stackTimes.reduce((a, b) => a + b, 0)),
      trials_total: Math.round(trialTimes.reduce((a, b) => a + b, 0)),
      per_trial_mean: trialTimes.length ? Math.round(trialTimes.reduce((a, b) => a + b, 0) / trialTimes.length) : null,
      total: Math.round(performance.now() - began),
    };
    writeJsonAtomic(join(outDir, 'explore.json'), result);
    writeFileSync(join(outDir, 'explore.html'), renderExploreHtml(result));
  };
  if (fatal !== undefined) {
    // Interrupted: what ran is kept (explore.json and explore.html marked interrupted), then the interrupt ends
    // the command as it ends a run. Another failure writes nothing: its trials say nothing about the schedules.
    if (io.signal.aborted) {
      result.interrupted = true;
      finish();
      io.stderr.write(`explore interrupted: ${trialTimes.length} trial runs kept in ${join(outDir, 'explore.json')}\n`);
    }
    throw fatal;
  }
  finish();
  say(
    `  ${trialTimes.length} trial runs, ${result.timings_ms.per_trial_mean ?? '-'} ms each on average; stack start ${result.timings_ms.start_stack} ms${opts.restartPerTrial ? ' in all' : ''}`,
  );
  say(`results: ${join(outDir, 'explore.json')}, explore.html beside it`);
  return code;

  /** The reference build's scenario: loaded and validated like the candidate's; it must have the space's dependencies. */
  async function loadReference(file: string) {
    const refLoaded = await loadScenarioFile(file, io.cwd).catch((error: unknown) => {
      // Name the option: "nope.ts: no such scenario file" alone reads as the explored scenario's problem.
      if (error instanceof ShakedownError)
        throw new ShakedownError(error.code, `--reference ${error.message}`, { exitCode: 2, cause: error });
      throw error;
    });
    const missing = [...new Set(space!.choices.map((c) => c.on))].filter((on) => !Object.hasOwn(refLoaded.scenario.dependencies, on));
    if (missing.length)
      throw usage(
        `--reference ${file}: has no dependency ${missing.map((m) => `'${m}'`).join(', ')} of the explore space (it has ${Object.keys(refLoaded.scenario.dependencies).join(', ') || 'none'})`,
      );
    const refRaw = ((await import(pathToFileURL(refLoaded.file).href)) as { default: ScenarioOptions }).default;
    return { loaded: refLoaded, raw: refRaw };
  }

  async function runSearch(): Promise<number> {
    const verdicts = new Map<string, { slos: SloVerdict[]; failed: string[]; seed: number }>();
    const candidateSide = async (schedule: ScheduledFault[]): Promise<SideVerdict> => {
      const run = await runTrial(schedule.map((f) => faultOptionsOf(f, space!)));
      const verdict = trialVerdict(run, space!.properties);
      if (!verdict.passed)
        verdicts.set(JSON.stringify(schedule), { slos: run.slos, failed: describeFailures(verdict), seed: run.run.seed });
      return { passed: verdict.passed, failed: describeFailures(verdict) };
    };
    const referenceSide = async (schedule: ScheduledFault[]): Promise<SideVerdict> => {
      const run = await referenceRunner!.run(schedule.map((f) => faultOptionsOf(f, space!)));
      const verdict = trialVerdict(run, space!.properties);
      return { passed: verdict.passed, failed: describeFailures(verdict) };
    };
    const sharedKeys = new Set<string>();
    const sideJudge = async (schedule: ScheduledFault[]): Promise<DifferentialJudgement> => {
      const c = await candidateSide(schedule);
      return { passed: c.passed, summary: c.failed.join(', ') };
    };
    const differential = differentialJudge(candidateSide, referenceSide);
    const judge = (schedule: ScheduledFault[]) =>
      guarded<DifferentialJudgement>(
        async () => {
          const judged = await (referenceRunner ? differential : sideJudge)(schedule);
          if (judged.shared && !sharedKeys.has(JSON.stringify(schedule))) {
            sharedKeys.add(JSON.stringify(schedule));
            result.reference!.shared.push({ schedule: explored(schedule), ...judged.shared });
          }
          return judged;
        },
        { passed: true, summary: NOT_RUN },
      );
    const explored = (s: ScheduledFault[]) => s.map((f) => exploredFault(f));
    const search: NonNullable<ExploreResult['search']> = { trials: [], skipped: 0, budget_exhausted: false, failure: null, failures: [] };
    result.search = search;
    if (reference)
      result.reference = { scenario: reference.loaded.scenario.name, scenario_file: reference.loaded.displayName, trials: 0, shared: [] };
    const failures = search.failures!;
    const printTrial = (offset: number) => (trial: TrialRecord<ScheduledFault[]>, p: SearchProgress) => {
      if (opts.quiet || fatal !== undefined) return;
      const last = trial.runs.at(-1) as DifferentialJudgement;
      const verdict = trial.failed
        ? `FAIL ×${trial.runs.length}`
        : last.shared
          ? `pass (${last.summary})`
          : trial.runs.length > 1
            ? `pass (${trial.runs.length - 1} of ${trial.runs.length} failed: noise)`
            : 'pass';
      say(
        `  [trial ${offset + p.trials}, ${p.failures} failing${p.stage === 'shrink' ? `, shrunk ${p.shrinks}×` : ''}] ${trial.stage} ${verdict}: ${describeSchedule(trial.value)}${trial.failed ? ` — ${p.last.summary}` : ''}`,
      );
    };
    await searchRounds<ScheduledFault>({
      choices: space!.choices,
      maxFailures,
      budget_ms: budget_ms!,
      search: (choices, budget, round, shrinkBudget) => {
        const left = space!.choices.filter((c) => !choices.some((k) => k.on === c.on && k.kind === c.kind));
        if (round > 1 || opts.cover)
          say(
            left.length
              ? `Round ${round}: the space without ${left.map((c) => `${c.on}.${c.kind}`).join(', ')}`
              : `Round ${round}: the whole space`,
          );
        return searchSchedules({
          arbitrary: scheduleArbitrary({
            ...space!,
            choices: space!.choices.filter((c) => choices.some((k) => k.on === c.on && k.kind === c.kind)),
          }),
          judge,
          seed: runSeed,
          ...(opts.path && round === 1 ? { path: opts.path } : {}),
          trials,
          budget_ms: budget,
          ...(maxFailures > 1 || opts.cover ? { shrinkBudget_ms: shrinkBudget } : {}),
          confirmRuns,
          onTrial: printTrial(search.trials.length),
        });
      },
      ...(opts.cover
        ? {
            meanTrial_ms: () => (trialTimes.length ? allTrialTimes().reduce((a, b) => a + b, 0) / trialTimes.length : 0),
            searchAlone: (choice: KindChoice, budget: number, round: number, shrinkBudget: () => number) => {
              if (round === 1) say(`Cover: each of the ${space!.choices.length} choices alone at its harshest (shrunk when it fails)`);
              const { arbitrary, harshest } = aloneArbitrary(space!, choice as { on: string; kind: ExploreKind });
              return searchSchedules({
                arbitrary,
                examples: [harshest],
                judge,
                seed: runSeed,
                trials: 1,
                budget_ms: budget,
                shrinkBudget_ms: shrinkBudget,
                confirmRuns,
                onTrial: printTrial(search.trials.length),
              });
            },
          }
        : {}),
      onRound: ({ round, excluded, found, failingAlone, alone }) => {
        // After a fatal error (an interrupt) the search skipped its remaining trials: only those that ran are kept.
        const ran = found.trials.filter((t) => t.runs.some((r) => r.summary !== NOT_RUN));
        const offset = search.trials.length;
        const roundStarted = search.trials.at(-1)?.ended_ms ?? 0;
        search.trials.push(
          ...ran.map((t): ExploreTrial => ({
            index: offset + t.index,
            stage: t.stage,
            schedule: explored(t.value),
            runs: t.runs.map((r) =>
              (r as DifferentialJudgement).shared
                ? { passed: true, failed: [], shared: true }
                : { passed: r.passed, failed: r.summary ? r.summary.split(', ') : [] },
            ),
            failed: t.failed,
            ended_ms: roundStarted + t.ended_ms,
            ...(maxFailures > 1 || opts.cover ? { round } : {}),
          })),
        );
        search.skipped += found.skipped + found.trials.length - ran.length;
        search.budget_exhausted = found.budgetExhausted;
        if (fatal !== undefined) {
          const smallest = ran.filter((t) => t.failed).sort((a, b) => a.value.length - b.value.length)[0];
          if (smallest)
            failures.push({
              path: null,
              first: explored(ran.find((t) => t.failed)!.value),
              shrink_path: ran.filter((t) => t.failed).map((t) => explored(t.value)),
              minimal: explored(smallest.value),
              verdicts: verdicts.get(JSON.stringify(smallest.value))?.slos ?? [],
              scenario_file: null,
              excluded,
              ...(alone ? { found_by: 'cover' as const } : {}),
            });
          search.failure = failures[0] ?? null;
          return false;
        }
        if (found.budgetExhausted)
          say(
            maxFailures > 1 || opts.cover
              ? found.counterexample && found.skipped
                ? `  round ${round}'s shrink used its share of the budget: the smallest failure confirmed so far is kept`
                : `  budget of ${budget_ms} ms spent: ${found.skipped} generated schedules not run`
              : `  budget of ${budget_ms} ms spent: ${found.skipped} generated schedules not run`,
          );
        const lastCover = alone !== undefined && round === space!.choices.length;
        if (!found.counterexample) {
          // A cover round's one trial said it (pass); the cover's summary comes after its last round.
          if (alone) {
            if (lastCover) coverSummary();
            return;
          }
          say(
            round === 1
              ? `No failing schedule in ${found.trials.length} trials.`
              : `No further failing schedule in ${found.trials.length} trials of round ${round}.`,
          );
          return;
        }
        const minimal = found.counterexample;
        const faults = minimal.map((f) => faultOptionsOf(f, space!));
        const minimalJudged = verdicts.get(JSON.stringify(minimal));
        const number = failures.length + 1;
        const scenarioFile = join(outDir, `${scenario.name}-explored${number > 1 ? `-${number}` : ''}.ts`);
        let baseImport = relative(dirname(scenarioFile), loaded.file);
        if (!baseImport.startsWith('.')) baseImport = `./${baseImport}`;
        const failed = minimalJudged?.failed ?? [];
        // fast-check's path replays the first open round only: a later round searched a smaller space, a cover
        // round one choice from its harshest example.
        const path = round === 1 && !alone ? found.path : null;
        writeFileSync(
          scenarioFile,
          exploredScenarioSource({
            baseImport,
            name: scenario.name,
            file: loaded.displayName,
            seed: runSeed,
            ...(minimalJudged ? { runSeed: minimalJudged.seed } : {}),
            foundBy: alone ? 'cover' : 'search',
            path,
            faults,
            overrides,
            failed,
          }),
        );
        failures.push({
          path,
          first: explored(found.shrinkPath[0]),
          shrink_path: found.shrinkPath.map(explored),
          minimal: explored(minimal),
          verdicts: minimalJudged?.slos ?? [],
          scenario_file: scenarioFile,
          excluded,
          failing_alone: failingAlone,
          ...(alone ? { found_by: 'cover' as const } : {}),
        });
        search.failure = failures[0];
        const confirmed = found.trials.filter((t) => t.failed);
        say(
          `Minimal failing schedule${maxFailures > 1 || opts.cover ? ` #${number}` : ''}${alone ? ` (cover: ${alone.on}.${alone.kind} alone)` : ''} (${minimal.length} fault${minimal.length === 1 ? '' : 's'}, after ${found.shrinkPath.length - 1} shrink steps; first failure confirmed at ${Math.round((roundStarted + confirmed[0].ended_ms) / 1000)} s, last shrink step at ${Math.round((roundStarted + confirmed.at(-1)!.ended_ms) / 1000)} s):`,
        );
        for (const f of minimal) say(`  ${exploredFault(f).description}`);
        say(`  fails: ${failed.join(', ')}`);
        const alsoAlone = failingAlone.filter((k) => !minimal.some((f) => f.on === k.on && f.kind === k.kind));
        if (alsoAlone.length) say(`  also failing alone on the way (shrink path): ${alsoAlone.map((k) => `${k.on}.${k.kind}`).join(', ')}`);
        if (path) say(`replay the search: shakedown explore ${loaded.displayName} --seed ${runSeed} --path ${path}`);
        say(`scenario: ${scenarioFile} (shakedown run ${relative(io.cwd, scenarioFile)})`);
        if (lastCover) coverSummary();
      },
    });
    if (fatal !== undefined) return EXIT.infrastructure;
    if (reference)
      say(
        `${result.reference!.shared.length} schedule${result.reference!.shared.length === 1 ? '' : 's'} failed the reference too (shared, not counted: reference.shared in explore.json)`,
      );
    return search.failures!.length ? EXIT.sloFailed : EXIT.ok;

    function coverSummary() {
      const failing = failures.filter((f) => f.found_by === 'cover').map((f) => `${f.minimal[0].on}.${f.minimal[0].kind}`);
      say(
        `Cover: ${failing.length} of ${space!.choices.length} choices fail alone${failing.length ? `: ${failing.join(', ')}` : ''}${
          failures.length < maxFailures ? '' : ` (--failures ${maxFailures} reached: no open search after it)`
        }`,
      );
    }
  }

  async function runSweep(): Promise<number> {
    const { on, kind, low, high } = sweep as Exclude<typeof sweep, string | undefined>;
    const unit = EXPLORE_KINDS[kind as ExploreKind].unit;
    const rate = unit === 'rate';
    const measure = (intensity: number) =>
      guarded<SweepRun>(
        async () => {
          const run = await runTrial([
            { on, at: space!.trial.baseline_ms, for: space!.window.max_ms, fault: faultActionOf(kind as ExploreKind, intensity) },
          ]);
          const values = Object.fromEntries(run.slos.map((v) => [`${v.phase}.${v.metric}`, v.actual]));
          const verdict = trialVerdict(run, space!.properties);
          const failed = [
            ...verdict.failed.map((v) => `${v.phase}.${v.metric}`),
            ...verdict.failedProperties.map((p) => `property ${p.split(':')[0]}`),
          ];
          if (!opts.quiet)
            say(
              `  ${on}.${kind} = ${intensity}${rate ? '' : unit}: ${verdict.passed ? 'pass' : `FAIL ${describeFailures(verdict).join(', ')}`}`,
            );
          return { passed: verdict.passed, failed, values };
        },
        { passed: true, failed: [], values: {} },
      );
    const swept = await sweepSeverity({
      spec: { on, kind, low, high },
      repeats,
      round: (v) => (rate ? Math.round(v * 100) / 100 : Math.round(v)),
      measure,
    });
    if (fatal !== undefined) return EXIT.infrastructure;
    result.sweep = {
      ...swept.spec,
      unit,
      repeats,
      width: swept.width,
      breaking: swept.breaking,
      bracket: swept.bracket,
      slo: swept.slo,
      note: swept.note,
      points: swept.points,
    };
    say(
      `Sweep of ${on}.${kind} over ${low}..${high}${rate ? '' : unit} (${repeats} runs a point, stops at ${Math.round(swept.width * 100) / 100}${rate ? '' : unit} wide): ${swept.note}${swept.slo ? `; first SLO to break: ${swept.slo}` : ''}`,
    );
    return swept.breaking === null && !swept.slo ? EXIT.ok : EXIT.sloFailed;
  }

  function exploredFault(f: ScheduledFault): ExploredFault {
    const o = faultOptionsOf(f, space!);
    const choice = space!.choices.find((c) => c.on === f.on && c.kind === f.kind)!;
    return {
      on: f.on,
      kind: f.kind,
      severity: f.severity,
      intensity: intensityAt(f.kind, choice.range, f.severity),
      at_ms: f.at_ms,
      for_ms: f.for_ms,
      description: `${f.on}: ${describeFault(o.fault)} from ${f.at_ms / 1000}s for ${f.for_ms / 1000}s`,
    };
  }

  function describeSchedule(s: ScheduledFault[]): string {
    return s.map((f) => exploredFault(f).description).join('; ');
  }
}
