/**
 * `shakedown/vitest`: importing it adds two matchers to vitest's `expect`, for resilience checks in a test suite.
 *
 * ```ts
 * import 'shakedown/vitest';
 * import { run } from 'shakedown';
 * const output = await run(scenario);
 * expect(output).toMeetSlos();              // every SLO held
 * expect(output).toFailSlo('error_rate');   // a guard that must trip did
 * ```
 *
 * Needs vitest (an optional peer dependency).
 */
import { expect } from 'vitest';
import type { MetricName } from '../scenario/metrics.ts';
import { toFailSlo, toMeetSlos } from './slo-matchers.ts';

export { toFailSlo, toMeetSlos, type RunLike, type MatcherOutcome } from './slo-matchers.ts';

expect.extend({ toMeetSlos, toFailSlo });

declare module 'vitest' {
  interface Matchers<R extends void | Promise<void> = void | Promise<void>, T = unknown> {
    /** The run completed and every SLO held. */
    toMeetSlos(): R;
    /** An SLO on `metric` (in `phase`, when given) failed. */
    toFailSlo(metric: MetricName, phase?: string): R;
  }
}
