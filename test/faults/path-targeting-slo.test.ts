/**
 * Path targeting caught by an SLO (issue 12 item 3), end to end through the CLI: a semantic-search service (the
 * official `openai` SDK; embeddings, then chat, on one model fake) while `paths: ['/v1/embeddings']` fails the first
 * embeddings attempt of each request (`when: { oncePerRequest: true }`, attempts told apart by the request body:
 * the service forwards no trace id). Chat stays healthy. The careless service (no embeddings retry) fails every
 * request; the careful one (the SDK retries embeddings) none.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readRun, removeTempDirs, runCli, tempDir } from '../cli/helpers.ts';

afterAll(() => removeTempDirs());

async function run(twin: string) {
  const out = tempDir();
  const { code, stdout } = await runCli([
    'run',
    `test/fixtures/scenarios/edges/embeddings-path-${twin}.ts`,
    '--seed',
    '3',
    '--out',
    out,
    '--quiet',
  ]);
  const { result } = readRun(out, `embeddings-${twin}`);
  return { code, stdout, result, fault: result.phases.find((p) => p.kind === 'fault')!, proof: result.faults[0].proof };
}

describe('a fault on the embeddings path only, against a semantic-search service', () => {
  it('careless (no embeddings retry): every request in the window fails (502), no chat call is made: error_rate SLO fails', async () => {
    const { code, stdout, result, fault, proof } = await run('careless');
    expect(code, stdout).toBe(1);
    // (less one at most: a request that got its embedding just before the window, the overlap rule)
    expect(fault.errors.http_5xx).toBeGreaterThanOrEqual(fault.metrics.requests - 1);
    // Each request's one embeddings call was failed; the only other calls in the window are the chat calls of
    // requests that got their embedding just before it began.
    expect(proof.mode_applied).toBe(proof.samples_in_window);
    expect(proof.mode_applied!).toBeGreaterThanOrEqual(proof.fake_requests_in_window! - 2);
    expect(result.slos).toMatchObject([{ metric: 'error_rate', passed: false }]);
    expect(result.slos[0].actual!).toBeGreaterThan(0.9);
  });

  it('careful (SDK retries embeddings): the retry passes, chat is untouched, no request fails: the SLO passes', async () => {
    const { code, stdout, result, fault, proof } = await run('careful');
    expect(code, stdout).toBe(0);
    expect(fault.metrics.error_rate).toBe(0);
    // One failed first attempt per request; the retries and the chat calls were not touched by the mode.
    expect(proof.mode_applied).toBe(proof.samples_in_window);
    expect(proof.fake_requests_in_window!).toBeGreaterThan(2 * proof.mode_applied!);
    expect(result.slos).toMatchObject([{ metric: 'error_rate', actual: 0, passed: true }]);
  });
});
