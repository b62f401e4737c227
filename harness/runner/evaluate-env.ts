import { ShakedownError } from '../errors.ts';
import type { DependencyAddress } from '../scenario/types.ts';

/**
 * Calls the scenario's `system.env` (an object or a function of the proxied addresses).
 * @throws ShakedownError SCENARIO_ENV_FAILED (exit 2) when the function throws or returns something else than
 *   an object of strings
 */
export function evaluateEnv(env: unknown, addresses: Record<string, DependencyAddress>, file: string): Record<string, string> {
  let value: unknown = env ?? {};
  if (typeof env === 'function') {
    try {
      value = env(addresses);
    } catch (error) {
      throw new ShakedownError(
        'SCENARIO_ENV_FAILED',
        `${file}: system.env threw: ${(error as Error)?.message ?? String(error)} (its argument has: ${Object.keys(addresses).join(', ') || 'no dependencies'})`,
        { exitCode: 2 },
      );
    }
  }
  const bad =
    typeof value !== 'object' || value === null || Array.isArray(value)
      ? ['(the whole value)']
      : Object.entries(value)
          .filter(([, v]) => typeof v !== 'string')
          .map(([k]) => k);
  if (bad.length)
    throw new ShakedownError('SCENARIO_ENV_FAILED', `${file}: system.env must give an object of strings; not strings: ${bad.join(', ')}`, {
      exitCode: 2,
    });
  return value as Record<string, string>;
}
