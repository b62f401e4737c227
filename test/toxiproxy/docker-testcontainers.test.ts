/**
 * The Docker way to Toxiproxy for real: with no TOXIPROXY_URL, no toxiproxy-server (PATH, tool cache) and no Go, a whole run
 * (the CLI, spawned) gets its Toxiproxy through testcontainers from a Docker engine, and leaves no container.
 * Needs an engine at DOCKER_HOST (a unix socket) holding ghcr.io/shopify/toxiproxy:2.12.0; no registry is
 * reachable here, so the image is built locally (../shared/DOCKER.md: a static toxiproxy-server in a FROM
 * scratch image) and testcontainers' reaper, which it would pull, is turned off. Skipped, saying why, without.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { TOXIPROXY_DEFAULTS } from '../../harness/toxiproxy/defaults.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const socketPath = process.env.DOCKER_HOST?.startsWith('unix://') ? process.env.DOCKER_HOST.slice('unix://'.length) : undefined;

/** GET on the engine's API; null when it does not answer. */
async function engine(path: string): Promise<{ status: number; body: unknown } | null> {
  if (!socketPath) return null;
  return new Promise((resolve) => {
    const req = request({ socketPath, path, headers: { host: 'docker' }, timeout: 3000 }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null }));
    });
    req.on('error', () => resolve(null));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

const image = await engine(`/images/${encodeURIComponent(TOXIPROXY_DEFAULTS.image)}/json`);
const why = !socketPath
  ? 'DOCKER_HOST is not a unix socket of a running engine'
  : image === null
    ? `no Docker engine answers at ${socketPath}`
    : image.status !== 200
      ? `the engine has no ${TOXIPROXY_DEFAULTS.image} image (build it locally: ../shared/DOCKER.md)`
      : '';

async function toxiproxyContainers(): Promise<unknown[]> {
  const listed = await engine(
    `/containers/json?all=true&filters=${encodeURIComponent(JSON.stringify({ ancestor: [TOXIPROXY_DEFAULTS.image] }))}`,
  );
  return (listed?.body as unknown[]) ?? [];
}

describe.skipIf(why !== '')(`Toxiproxy through testcontainers${why ? ` (skipped: ${why})` : ''}`, () => {
  const out = mkdtempSync(join(tmpdir(), 'shakedown-docker-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('runs a scenario with a Toxiproxy container when nothing else provides one, and removes the container after', async () => {
    expect(await toxiproxyContainers()).toEqual([]);
    const env: NodeJS.ProcessEnv = {
      HOME: process.env.HOME,
      DOCKER_HOST: process.env.DOCKER_HOST,
      TESTCONTAINERS_RYUK_DISABLED: 'true',
      PATH: dirname(process.execPath), // Node only: no toxiproxy-server, no Go
      SHAKEDOWN_TOOLS_DIR: join(out, 'tools'), // not the checkout's .tools/bin
    };
    const ran = spawnSync(
      process.execPath,
      [join(ROOT, 'harness/cli/bin.ts'), 'run', 'test/fixtures/scenarios/short-latency.ts', '--out', out, '--seed', '5', '--quiet'],
      { cwd: ROOT, env, encoding: 'utf8', timeout: 120_000 },
    );
    expect(ran.status, `${ran.stdout}\n${ran.stderr}`).toBe(0);
    const [stamp] = readdirSync(join(out, 'short-latency'));
    const result = JSON.parse(readFileSync(join(out, 'short-latency', stamp, 'results.json'), 'utf8'));
    expect(result.run.toxiproxy.source).toBe('docker');
    expect(result.run.status).toBe('completed');
    expect(await toxiproxyContainers()).toEqual([]);
  });
});
