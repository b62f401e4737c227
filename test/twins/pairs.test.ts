/**
 * The careful/careless pairs that are not the example service (bench/pair-cases.ts): each scenario passes its
 * knob only to the careless configuration, and one pair (the LangChain.js chain that passes a cut answer on) runs
 * end to end through the CLI, careless once and careful once (about 30 s each). bench/pairs.ts runs the whole
 * table with compare.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { PAIR_CASES } from '../../bench/pair-cases.ts';
import { ROOT, runTwin } from '../../bench/twin-cases.ts';

const out = mkdtempSync(join(tmpdir(), 'shakedown-pairs-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const DEPS = {
  model: { url: 'http://127.0.0.1:1', host: '127.0.0.1', port: 1 },
  products: { url: 'http://127.0.0.1:2', host: '127.0.0.1', port: 2 },
};

/**
 * Imports a scenario file afresh with SHAKEDOWN_TWIN set: the module registry is reset first (a query string, as
 * test/twins/twins.test.ts uses, hides the `.ts` extension from the transform, and these scenarios use type casts).
 */
async function importWithTwin(file: string, twin: string): Promise<any> {
  const saved = process.env.SHAKEDOWN_TWIN;
  process.env.SHAKEDOWN_TWIN = twin;
  vi.resetModules();
  try {
    return (await import(pathToFileURL(join(ROOT, file)).href)).default;
  } finally {
    if (saved === undefined) delete process.env.SHAKEDOWN_TWIN;
    else process.env.SHAKEDOWN_TWIN = saved;
  }
}

describe('pair scenarios read SHAKEDOWN_TWIN', () => {
  for (const c of PAIR_CASES) {
    it(`${c.scenario} passes ${c.carelessKnobs} only to the careless service, and its own LLM_URL`, async () => {
      const [name, value] = c.carelessKnobs.split('=');
      const careless = (await importWithTwin(c.scenario, 'careless')).system.env(DEPS);
      const careful = (await importWithTwin(c.scenario, 'careful')).system.env(DEPS);
      expect(careless[name]).toBe(value);
      expect(careful[name]).not.toBe(value);
      expect(careful.LLM_URL).toBe('http://127.0.0.1:1/v1');
      expect(Object.keys(careful)).not.toContain('OPENAI_BASE_URL');
    });
  }
});

describe('a LangChain.js chain that passes a finish_reason "length" answer on as complete', () => {
  const chain = PAIR_CASES.find((c) => c.scenario === 'scenarios/pairs/brief-chain-truncated.ts')!;

  it('fails truncated_rate in the fault when careless (the cut answer, presented as complete), and passes every SLO when careful', async () => {
    const careless = await runTwin(chain, 'careless', out);
    expect(careless.exitCode).toBe(1);
    expect(careless.failedSlos.map((s) => `${s.selector}: ${s.metric} ${s.expression}`)).toEqual(['fault: truncated_rate < 1%']);
    // Every request is the same text, so a call is matched to the latest request in flight: a request started a few
    // ms after another can take its call, leaving the first without evidence (scored `partial` by the scorer).
    expect(careless.failedSlos[0].actual).toBeGreaterThanOrEqual(0.95);
    expect(careless.dominantFailure?.outcome).toBe('truncated');

    const careful = await runTwin(chain, 'careful', out);
    expect(careful.failedSlos).toEqual([]);
    expect(careful.exitCode).toBe(0);
    expect(careful.dominantFailure?.outcome).toBe('http_error');
  }, 150_000);
});
