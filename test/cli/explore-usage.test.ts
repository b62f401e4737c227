import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, runCli, tempDir } from './helpers.ts';

afterAll(removeTempDirs);

describe('shakedown explore: usage errors exit 2 before anything starts', () => {
  it('asks for an explore block when the scenario has none and no --sweep is given', async () => {
    const r = await runCli(['explore', 'scenarios/model-latency-spike.ts', '--out', tempDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `shakedown: scenarios/model-latency-spike.ts: has no explore block; add explore: { space: { <dependency>: { toxics: ['latency'], modes: ['http_error'] } } } (README "Exploring the fault space")\n`,
    );
    expect(r.stdout).toBe('');
  });

  it('refuses --path without the --seed it belongs to', async () => {
    const r = await runCli(['explore', 'test/fixtures/scenarios/explore-summarizer.ts', '--path', '3:1']);
    expect(r).toMatchObject({ code: 2, stderr: 'shakedown: --path replays a search: give its --seed too\n' });
  });

  it('explains a malformed budget, trial count and sweep', async () => {
    const budget = await runCli(['explore', 'test/fixtures/scenarios/explore-summarizer.ts', '--budget', 'soon']);
    expect(budget.stderr).toBe("shakedown: --budget must be a duration like '10m' or '90s' (got 'soon')\n");
    const repeats = await runCli(['explore', 'test/fixtures/scenarios/explore-summarizer.ts', '--repeats', '3']);
    expect(repeats).toMatchObject({
      code: 2,
      stderr: 'shakedown: --repeats sets the runs at each --sweep point; without --sweep it would be ignored (the search uses --confirm)\n',
    });
    const zero = await runCli(['explore', 'test/fixtures/scenarios/explore-summarizer.ts', '--budget', '0']);
    expect(zero.stderr).toBe("shakedown: --budget must be a duration like '10m' or '90s' (got '0': it must be longer than 0)\n");
    const trials = await runCli(['explore', 'test/fixtures/scenarios/explore-summarizer.ts', '--trials', '0']);
    expect(trials.stderr).toBe("shakedown: --trials must be a whole number from 1 to 100000 (got '0')\n");
    const sweep = await runCli(['explore', 'test/fixtures/scenarios/explore-summarizer.ts', '--sweep', 'retrieval.latency=0..10']);
    expect(sweep.stderr).toBe("shakedown: --sweep retrieval.latency=0..10: 'retrieval' is not a dependency of the scenario (model)\n");
    const mode = await runCli(['explore', 'scenarios/model-latency-spike.ts', '--sweep', 'model.stale=0..1']);
    expect(mode.stderr).toBe(
      "shakedown: --sweep model.stale=0..1: faults[0].fault.mode.kind 'stale' does not apply to 'model' (a model fake); it applies to: retrieval, inventory\n",
    );
    expect([budget.code, trials.code, sweep.code, mode.code]).toEqual([2, 2, 2, 2]);
  });

  it('explains a --reference that is missing, lacks a dependency of the space, or comes with --sweep', async () => {
    const explored = 'test/fixtures/scenarios/explore-summarizer.ts';
    const missing = await runCli(['explore', explored, '--reference', 'nope.ts']);
    expect(missing).toMatchObject({ code: 2, stderr: 'shakedown: --reference nope.ts: no such scenario file\n' });
    const dir = tempDir();
    const noModel = join(dir, 'no-model.mts');
    writeFileSync(
      noModel,
      `export default { name: 'no-model', system: { url: 'http://127.0.0.1:9' }, dependencies: {}, load: { executor: 'constant-vus', vus: 1, duration: '20s', requests: { kind: 'static', method: 'GET', path: '/' } } };\n`,
    );
    const lacking = await runCli(['explore', explored, '--reference', noModel]);
    expect(lacking).toMatchObject({
      code: 2,
      stderr: `shakedown: --reference ${noModel}: has no dependency 'model' of the explore space (it has none)\n`,
    });
    const sweep = await runCli(['explore', explored, '--reference', explored, '--sweep', 'model.latency=0..5000ms']);
    expect(sweep).toMatchObject({ code: 2, stderr: 'shakedown: --reference judges the search, not --sweep: give one of them\n' });
  });
});
