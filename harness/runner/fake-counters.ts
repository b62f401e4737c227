import type { RunResult } from '../results/result-types.ts';
import type { FakesProcess } from './fakes-process.ts';

/**
 * Copies each fake's request counters into `dependencies` and returns the fakes' event-loop delay p99. A fake
 * that does not answer keeps zero counters and adds a problem saying so (the run's result is still written).
 */
export async function readFakeCounters(
  fakes: FakesProcess,
  dependencies: RunResult['dependencies'],
  problems: string[],
): Promise<number | null> {
  for (const name of Object.keys(dependencies)) {
    try {
      const { requests, by_status, by_mode, by_path } = await fakes.stats(name);
      Object.assign(dependencies[name], { requests, by_status, by_mode, by_path });
    } catch (error) {
      problems.push(`fake ${name}: request counters not read (${(error as Error).message}); its dependency counts stay 0`);
    }
  }
  try {
    return (await fakes.health()).event_loop_delay_p99_ms ?? null;
  } catch (error) {
    problems.push(`fakes health not read (${(error as Error).message}): fakes event-loop delay unknown`);
    return null;
  }
}
