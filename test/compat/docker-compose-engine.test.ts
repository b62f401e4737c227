/**
 * docker-compose.yml on a real Docker engine: `docker compose up --wait` brings up Toxiproxy, the fakes and the
 * example service healthy; a question goes through the stack; a whole run (the CLI, spawned) uses the stack's
 * Toxiproxy through TOXIPROXY_URL; `docker compose down -v` removes everything. Needs DOCKER_HOST, the compose
 * plugin and the images the file names, built locally since no registry is reachable (../shared/DOCKER.md);
 * skipped, saying why, without them.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PROJECT = 'shakedown-compose-test';

function docker(args: string[], timeout = 30_000): { code: number; out: string } {
  const r = spawnSync('docker', args, { cwd: ROOT, encoding: 'utf8', timeout });
  return { code: r.status ?? -1, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

function skipReason(): string {
  if (!process.env.DOCKER_HOST) return 'DOCKER_HOST is not set';
  if (docker(['info', '--format', '{{.ServerVersion}}'], 5000).code !== 0) return `no Docker engine answers at ${process.env.DOCKER_HOST}`;
  if (docker(['compose', 'version'], 5000).code !== 0) return 'the docker compose plugin is missing';
  for (const image of ['node:24-slim', 'ghcr.io/shopify/toxiproxy:2.12.0'])
    if (docker(['image', 'inspect', image], 5000).code !== 0)
      return `the engine has no ${image} image (build it locally: ../shared/DOCKER.md)`;
  return '';
}
const why = skipReason();

describe.skipIf(why !== '')(`docker compose up of docker-compose.yml${why ? ` (skipped: ${why})` : ''}`, () => {
  const out = mkdtempSync(join(tmpdir(), 'shakedown-compose-'));
  beforeAll(() => {
    const up = docker(['compose', '-p', PROJECT, 'up', '-d', '--wait', '--wait-timeout', '240'], 300_000);
    expect(up.code, up.out).toBe(0);
  }, 320_000);
  afterAll(() => {
    const down = docker(['compose', '-p', PROJECT, 'down', '-v', '--timeout', '5'], 120_000);
    rmSync(out, { recursive: true, force: true });
    expect(down.code, down.out).toBe(0);
    expect(docker(['ps', '-a', '--filter', `label=com.docker.compose.project=${PROJECT}`, '-q']).out.trim()).toBe('');
  }, 130_000);

  it('serves a question through Toxiproxy, the fakes and the example service', async () => {
    const answer = await fetch('http://127.0.0.1:8480/ask', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ question: 'How long do I have to return an item?' }),
    });
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { answer: string; citations: string[] };
    expect(body.citations.length).toBeGreaterThan(0);
    const proxies = (await (await fetch('http://127.0.0.1:8474/proxies')).json()) as Record<string, { upstream: string }>;
    expect(Object.fromEntries(Object.entries(proxies).map(([name, p]) => [name, p.upstream]))).toEqual({
      model: '127.0.0.1:8410',
      retrieval: '127.0.0.1:8411',
      api: '127.0.0.1:8412',
    });
  });

  it("runs a scenario with the stack's Toxiproxy through TOXIPROXY_URL, leaving only the stack's own proxies", async () => {
    const ran = spawnSync(
      process.execPath,
      [join(ROOT, 'harness/cli/bin.ts'), 'run', 'test/fixtures/scenarios/short-latency.ts', '--out', out, '--seed', '5', '--quiet'],
      { cwd: ROOT, env: { ...process.env, TOXIPROXY_URL: 'http://127.0.0.1:8474' }, encoding: 'utf8', timeout: 120_000 },
    );
    expect(ran.status, `${ran.stdout}\n${ran.stderr}`).toBe(0);
    const [stamp] = readdirSync(join(out, 'short-latency'));
    const result = JSON.parse(readFileSync(join(out, 'short-latency', stamp, 'results.json'), 'utf8'));
    expect(result.run.toxiproxy).toMatchObject({ source: 'env', url: 'http://127.0.0.1:8474', version: '2.12.0' });
    const proxies = (await (await fetch('http://127.0.0.1:8474/proxies')).json()) as Record<string, unknown>;
    expect(Object.keys(proxies).sort()).toEqual(['api', 'model', 'retrieval']);
  });
});
