/**
 * Runs explore's trials: the stack (Toxiproxy, fakes, SUT) started once on the first trial and reused, or
 * started and torn down around each trial with `restartPerTrial`; each trial is `runOnStack` on the trial's
 * scenario. Keeps the time each stack start and each trial took (README "Fast trials").
 */
import type { LoadedScenario } from '../runner/load-scenario-file.ts';
import type { RunResult } from '../results/result-types.ts';
import { runOnStack } from '../runner/run-on-stack.ts';
import { startRunGuard, type RunGuard } from '../runner/run-guard.ts';
import { startStack, type Stack, type StackParts } from '../runner/start-stack.ts';
import { createTeardown, type Teardown } from '../runner/teardown.ts';
import { trialScenario } from '../explore/trial-scenario.ts';
import type { FaultOptions, ResolvedExplore, ScenarioOptions } from '../scenario/index.ts';

export interface TrialRunnerOptions {
  scenario: LoadedScenario['scenario'];
  raw: ScenarioOptions;
  space: ResolvedExplore;
  loaded: Pick<LoadedScenario, 'displayName' | 'source'>;
  /** Trial i runs with seed + i. */
  seed: number;
  outDir: string;
  cwd: string;
  signal: AbortSignal;
  restartPerTrial: boolean;
  /** Teardown problems, as lines for stderr. */
  warn: (text: string) => void;
}

export interface TrialRunner {
  run(faults: FaultOptions[]): Promise<RunResult>;
  /** Stops a shared stack; never throws (problems go to `warn`). */
  close(): Promise<void>;
  readonly stackTimes: number[];
  readonly trialTimes: number[];
}

type Started = { stack: Stack; parts: StackParts; teardown: Teardown; guard: RunGuard };

export function createTrialRunner(o: TrialRunnerOptions): TrialRunner {
  const stackTimes: number[] = [];
  const trialTimes: number[] = [];
  let shared: Started | undefined;
  let count = 0;
  const stop = async (s: { teardown: Teardown; guard: RunGuard }) => {
    const problems = await s.teardown.run();
    // Everything the stack started is torn down: the reaper (lock file and watchdog) stands down.
    s.guard.standDown();
    if (problems.length) o.warn(`teardown problems:\n${problems.map((p) => `  ${p}`).join('\n')}\n`);
  };
  const start = async (): Promise<Started> => {
    const t = performance.now();
    const teardown = createTeardown();
    // The reaper, as for a run: the stack's processes and proxies are removed if the CLI dies mid-explore.
    const guard = startRunGuard();
    const parts: StackParts = { dependencies: {} };
    try {
      const stack = await startStack(
        {
          scenario: o.scenario,
          scenarioFile: o.loaded.displayName,
          seed: o.seed,
          cwd: o.cwd,
          allowRemoteTarget: false,
          signal: o.signal,
          teardown,
          guard,
          info: () => {},
          mark: () => {},
        },
        parts,
      );
      stackTimes.push(performance.now() - t);
      return { stack, parts, teardown, guard };
    } catch (error) {
      await stop({ teardown, guard });
      throw error;
    }
  };
  return {
    stackTimes,
    trialTimes,
    async run(faults) {
      const s = o.restartPerTrial ? await start() : (shared ??= await start());
      const t = performance.now();
      try {
        return await runOnStack({
          scenario: trialScenario(o.raw, o.space, faults),
          stack: s.stack,
          dependencies: s.parts.dependencies,
          scenarioFile: o.loaded.displayName,
          scenarioSource: o.loaded.source,
          seed: o.seed + count++,
          label: 'explore',
          cwd: o.cwd,
          outDir: o.outDir,
          signal: o.signal,
        });
      } finally {
        trialTimes.push(performance.now() - t);
        if (o.restartPerTrial) await stop(s);
      }
    },
    async close() {
      if (shared) await stop(shared);
      shared = undefined;
    },
  };
}
