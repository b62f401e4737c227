import { describe, expect, it } from 'vitest';
import { resolveScenario } from '../../harness/scenario/resolve-scenario.ts';
import { SCENARIO_LIMITS } from '../../harness/scenario/limits.ts';
import { toxic } from '../../harness/scenario/index.ts';
import { validScenario } from './scenario-fixture.ts';

const problemsOf = (input: unknown) => {
  const result = resolveScenario(input, 'x.ts');
  return result.ok ? [] : result.problems;
};

describe('scenario bounds on numbers that reach timers and loops', () => {
  it("refuses a request timeout of '600h', which Node would clamp to 1 ms, naming the limit", () => {
    const s = validScenario();
    expect(problemsOf({ ...s, load: { ...s.load, timeout: '600h' } })).toEqual([
      'x.ts: load.timeout must be at most 3600000 ms (1 h), got "600h" (2160000000 ms): Node clamps longer timers to 1 ms; lower it',
    ]);
  });

  it('refuses a request timeout of 1e308 ms and a ready timeout past the limit', () => {
    const s = validScenario();
    const problems = problemsOf({ ...s, system: { ...s.system, ready: { timeout: '2h' } }, load: { ...s.load, timeout: 1e308 } });
    expect(problems).toEqual([
      'x.ts: load.timeout must be at most 3600000 ms (1 h), got 1e+308 (1e+308 ms): Node clamps longer timers to 1 ms; lower it',
      'x.ts: system.ready.timeout must be at most 3600000 ms (1 h), got "2h" (7200000 ms): Node clamps longer timers to 1 ms; lower it',
    ]);
  });

  it('refuses a load duration over 24 h', () => {
    const s = validScenario();
    expect(problemsOf({ ...s, load: { ...s.load, duration: '25h' }, faults: [] })).toEqual([
      'x.ts: load.duration must be at most 86400000 ms (24 h), got "25h" (90000000 ms): split a longer test into several runs',
    ]);
  });

  it(`refuses more than ${SCENARIO_LIMITS.faults} faults and accepts exactly that many`, () => {
    const s = validScenario();
    const fault = (i: number) => ({ on: 'model', at: i * 10, for: 5, fault: toxic.latency({ latency: 10 }) });
    const many = Array.from({ length: SCENARIO_LIMITS.faults + 1 }, (_, i) => fault(i));
    expect(problemsOf({ ...s, faults: many })).toEqual([
      'x.ts: faults must list at most 100 faults (each is timed and recorded), got 101: split the scenario into several',
    ]);
    expect(problemsOf({ ...s, faults: many.slice(0, SCENARIO_LIMITS.faults) })).toEqual([]);
  });

  it('refuses a toxic attribute past the limit', () => {
    const s = validScenario();
    const problems = problemsOf({ ...s, faults: [{ on: 'model', at: '1s', for: '1s', fault: toxic.latency({ latency: 1e12 }) }] });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^x\.ts: faults\[0\]\.fault\.attributes\.latency .*86400000/);
  });
});
