import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../harness/runner/load-scenario-file.ts';
import { fakes, mode, resolveScenario } from '../../harness/scenario/index.ts';
import { validScenario } from './scenario-fixture.ts';

describe('fake extension options at load', () => {
  it('resolves a scenario with a quota, fixtures, a custom fake and a quota fault', () => {
    const base = validScenario();
    const result = resolveScenario({
      ...base,
      dependencies: {
        model: fakes.model({
          quota: { rpm: 600, tpm: 90_000 },
          fixtures: [{ match: { userIncludes: 'hi' }, response: { content: 'Hello.' } }],
        }),
        retrieval: fakes.retrieval(),
        tickets: fakes.custom({ handlers: './tickets.ts', fixtures: [{ match: { path: '/t/*' }, response: { status: 503 } }] }),
      },
      faults: [{ on: 'model', at: '20s', for: '10s', fault: mode.quota({ rpm: 3, windowMs: 1000 }) }],
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.scenario.faults[0]).toMatchObject({
      name: 'model-quota',
      fault: { kind: 'mode', mode: { kind: 'quota', rate: 1, rpm: 3, window_ms: 1000 } },
      description: 'quota 3 requests per 1000ms per key',
    });
  });

  it('lists every bad extension option with its path, exit-2 style', () => {
    const base = validScenario();
    const result = resolveScenario(
      {
        ...base,
        dependencies: {
          model: fakes.model({
            quota: { rpm: 1.5, tmp: 10 } as never,
            fixtures: [{ match: { pth: '/x' }, response: { content: '' } }] as never,
          }),
          retrieval: { kind: 'retrieval', options: { quota: { rpm: 1 } } },
          tickets: { kind: 'custom', options: {} },
        },
        faults: [
          { on: 'retrieval', at: '20s', for: '10s', fault: mode.quota({ rpm: 3 }) },
          { on: 'model', at: '40s', for: '10s', fault: mode.quota({}) },
        ],
      },
      'bad.ts',
    );
    expect(result).toEqual({
      ok: false,
      problems: [
        'bad.ts: faults[1].fault.mode must set rpm, tpm or both',
        'bad.ts: dependencies.model.options.quota.rpm must be an integer from 1 to 1000000000',
        "bad.ts: dependencies.model.options.quota has unknown field(s) 'tmp'",
        "bad.ts: dependencies.model.options.fixtures[0].match has unknown field(s) 'pth'",
        'bad.ts: dependencies.model.options.fixtures[0].response.content must not be empty',
        'bad.ts: dependencies.retrieval.options.quota is not an option of a retrieval fake (it applies to: model)',
        "bad.ts: dependencies.tickets.options.handlers is required: the module of the custom fake's msw handlers (fakes.custom({ handlers: './my-api.ts' }))",
        "bad.ts: faults[0].fault.mode.kind 'quota' does not apply to 'retrieval' (a retrieval fake); it applies to: model",
      ],
    });
  });

  it('refuses to load a scenario whose handlers module does not exist', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shakedown-ext-'));
    try {
      writeFileSync(
        join(dir, 'custom.mjs'),
        `export default {
  name: 'custom-dep',
  system: { url: 'http://127.0.0.1:9' },
  dependencies: { tickets: { kind: 'custom', options: { handlers: './nowhere/tickets.ts' } } },
  load: { executor: 'constant-vus', vus: 1, duration: '1s', requests: { kind: 'static', method: 'GET', path: '/' } },
};\n`,
      );
      await expect(loadScenarioFile('custom.mjs', dir)).rejects.toThrow(
        `custom.mjs is not a valid scenario (1 problem):\n  custom.mjs: dependencies.tickets.options.handlers: no such file './nowhere/tickets.ts' (${join(dir, 'nowhere/tickets.ts')}; paths are relative to the current directory)`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
