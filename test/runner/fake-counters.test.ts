/**
 * The fakes' counters at the end of a run, read from a real fakes process: copied into the result's
 * dependencies, and a fake that does not answer leaves a problem saying so instead of silent zeros.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../harness/results/result-types.ts';
import { readFakeCounters } from '../../harness/runner/fake-counters.ts';
import { startFakes, type FakesProcess } from '../../harness/runner/fakes-process.ts';

let fakes: FakesProcess;

beforeAll(async () => {
  fakes = await startFakes({ seed: 1, fakes: { retrieval: { kind: 'retrieval', options: {} } } });
}, 30_000);

afterAll(() => fakes?.stop());

const entry = (kind: string): RunResult['dependencies'][string] => ({
  kind,
  fake_url: '',
  proxy_url: '',
  requests: 0,
  by_status: {},
  by_mode: {},
  by_path: {},
});

describe('fake counters', () => {
  it('copies each fake’s counters and notes one that cannot be read', async () => {
    const search = await fetch(`${fakes.fakes.retrieval.url}/search`, { method: 'POST', body: JSON.stringify({ query: 'returns', k: 2 }) });
    expect(search.status).toBe(200);
    await search.arrayBuffer();
    const dependencies = { retrieval: entry('retrieval'), ghost: entry('model') };
    const problems: string[] = [];
    const delay = await readFakeCounters(fakes, dependencies, problems);
    expect(typeof delay).toBe('number');
    expect(dependencies.retrieval).toMatchObject({ requests: 1, by_path: { '/search': 1 }, by_status: { '200': 1 }, by_mode: {} });
    expect(dependencies.ghost.requests).toBe(0);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^fake ghost: request counters not read \(The fakes' control API refused GET \/fakes\/ghost\/stats: HTTP 404 .*\); its dependency counts stay 0$/,
    );
  });
});
