/**
 * Issue 15: a hostile neighbour. Toxiproxy's API has no authentication, so another local process can add a toxic
 * to a run's proxy or delete it; the run must notice. A toxic added from outside marks the run untrusted with the
 * reason; a proxy deleted from outside makes the run's fault fail to apply, which fails the run (exit 3, partial
 * results). Real CLI processes, a Toxiproxy server the test owns (TOXIPROXY_URL), the example service.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from '../cli/helpers.ts';
import { readResult, runFolders, spawnCli, startOwnToxiproxy } from './helpers.ts';

const SCENARIO = 'test/fixtures/scenarios/robust-short.ts';
let toxiproxy: Awaited<ReturnType<typeof startOwnToxiproxy>>;

beforeAll(async () => {
  toxiproxy = await startOwnToxiproxy();
});
afterAll(async () => {
  await toxiproxy?.stop();
  removeTempDirs();
});

/** The run's proxy for `dependency` on the test's Toxiproxy: the one the CLI printed it listens on. */
async function runProxy(stdout: string, dependency: string): Promise<string> {
  const listen = new RegExp(`${dependency} \\(\\w+\\) fake \\S+ behind proxy http://(127\\.0\\.0\\.1:\\d+)`).exec(stdout)?.[1];
  const all = (await (await fetch(`${toxiproxy.url}/proxies`)).json()) as Record<string, { name: string; listen: string }>;
  const proxy = Object.values(all).find((p) => p.listen === listen);
  if (!proxy) throw new Error(`no proxy listening on ${listen} for ${dependency}`);
  return proxy.name;
}

describe('changes to a run from outside', () => {
  it('marks a run untrusted when its proxy is given a toxic it did not set', async () => {
    const out = tempDir();
    const run = spawnCli(['run', SCENARIO, '--seed', '7', '--out', out], { TOXIPROXY_URL: toxiproxy.url });
    await run.waitFor('measured load');
    const name = await runProxy(run.output().stdout, 'api');
    const added = await fetch(`${toxiproxy.url}/proxies/${name}/toxics`, {
      method: 'POST',
      body: JSON.stringify({ name: 'outsider', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 50 } }),
    });
    expect(added.status).toBe(200);
    const { code } = await run.exited;
    const [dir] = runFolders(out, 'robust-short');
    const { result } = readResult(dir);
    expect(result.health.trusted).toBe(false);
    expect(result.health.flags).toContain(
      "tampering: toxic 'outsider' on proxy api was not set by this run: something else changed it during the run",
    );
    expect(result.run.status).toBe('completed');
    expect([0, 1]).toContain(code);
  }, 60_000);

  it('fails the run with exit 3 and partial results when a fault cannot be applied because its proxy was deleted', async () => {
    const out = tempDir();
    const run = spawnCli(['run', SCENARIO, '--seed', '7', '--out', out], { TOXIPROXY_URL: toxiproxy.url });
    await run.waitFor('measured load');
    const name = await runProxy(run.output().stdout, 'model');
    expect((await fetch(`${toxiproxy.url}/proxies/${name}`, { method: 'DELETE' })).status).toBe(204);
    const { code } = await run.exited;
    const { stderr } = run.output();
    expect(code).toBe(3);
    expect(stderr).toMatch(
      /shakedown: Fault model-latency on model did not apply at 1000 ms: .*\. The run stopped there: what followed would not be the scenario's fault\. Partial results are written\.\n/,
    );
    const [dir] = runFolders(out, 'robust-short');
    const { result, files } = readResult(dir);
    expect(result.run.status).toBe('failed');
    expect(result.faults.find((f) => f.name === 'model-latency')?.applied_at_ms).toBeNull();
    expect(files.filter((f) => f.includes('.tmp-'))).toEqual([]);
  }, 60_000);
});
