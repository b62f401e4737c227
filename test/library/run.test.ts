/**
 * The library entry `run()` end to end: a real run (example service, fakes, Toxiproxy) from code, judged with the
 * `shakedown/vitest` matchers; and an invalid scenario value refused with every problem listed.
 */
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import '../../harness/vitest/index.ts';
import { run, ShakedownError } from '../../harness/index.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('run() from code', () => {
  const out = mkdtempSync(join(tmpdir(), 'shakedown-run-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('returns the result of a run whose guard trips, with its files written', async () => {
    const output = await run('test/fixtures/scenarios/short-slo-fail.ts', { cwd: ROOT, out, seed: 11 });
    expect(output).toFailSlo('error_rate', 'fault');
    expect(output).not.toMeetSlos();
    expect(output.result.verdict).toEqual({ passed: false, slos_total: 1, slos_failed: 1 });
    expect(output.result.run.seed).toBe(11);
    for (const file of ['results.json', 'report.html', 'junit.xml', 'summary.md'])
      expect(existsSync(join(dirname(output.resultsFile), file)), file).toBe(true);
  });

  it('refuses an invalid scenario value, listing every problem, before starting anything', async () => {
    const error = await run({ name: 'broken', load: { rate: -1 } } as never, { out }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShakedownError);
    expect((error as ShakedownError).code).toBe('SCENARIO_INVALID');
    expect((error as ShakedownError).message).toMatch(
      /^scenario 'broken' is not a valid scenario \(\d+ problems\):\n  scenario 'broken': /,
    );
  });
});
