import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { findOnPath } from '../../harness/toxiproxy/find-executable.ts';
import { probeDocker, resolveToxiproxy, type ToxiproxyServer } from '../../harness/toxiproxy/index.ts';
import { findFreeLoopbackPort } from '../../harness/toxiproxy/start-toxiproxy-binary.ts';
import { processExists, startSilentServer, tryConnect } from './helpers.ts';

const repoTools = fileURLToPath(new URL('../../.tools', import.meta.url));
const repoBin = join(repoTools, 'bin');
const goPath = await findOnPath('go', process.env.PATH);
const docker = await probeDocker({ timeoutMs: 1_500 });

/**
 * Skips with a note the verbose reporter prints next to the test, and prints it too, because the default
 * reporter lists no skipped test by name.
 */
function skipWithReason(ctx: { skip(note?: string): never }, reason: string): never {
  console.warn(`skipped: ${reason}`);
  return ctx.skip(reason);
}

/** process.env without the variables that would short-cut resolution. */
function cleanEnv(overrides: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = { ...process.env, ...overrides };
  delete env.TOXIPROXY_URL;
  return env;
}

const started: ToxiproxyServer[] = [];
const tempDirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'shakedown-resolve-test-'));
  tempDirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.stop()));
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('resolveToxiproxy', () => {
  it('starts the toxiproxy-server found on PATH on a free loopback port, and stop() frees the port and ends the process', async () => {
    const t0 = performance.now();
    const server = await resolveToxiproxy({ env: cleanEnv({ PATH: repoBin }), toolsDir: await tempDir() });
    const startMs = performance.now() - t0;
    started.push(server);
    expect(server.source).toBe('binary');
    expect(server.version).toBe('2.12.0');
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const port = Number(new URL(server.url).port);
    const pid = server.pid as number;
    expect(processExists(pid)).toBe(true);

    const t1 = performance.now();
    await server.stop();
    const stopMs = performance.now() - t1;
    console.log(`toxiproxy-server start: ${startMs.toFixed(0)} ms, stop: ${stopMs.toFixed(0)} ms`);
    expect(processExists(pid)).toBe(false);
    expect(await tryConnect(port)).toBe('ECONNREFUSED');
    await server.stop(); // a second stop() is harmless
  });

  it('starts <toolsDir>/bin/toxiproxy-server when PATH has none', async () => {
    const server = await resolveToxiproxy({ env: cleanEnv({ PATH: '' }), toolsDir: repoTools });
    started.push(server);
    expect(server.source).toBe('binary');
    const answer = await fetch(`${server.url}/version`);
    expect(await answer.json()).toEqual({ version: '2.12.0' });
  });

  it('uses the server at TOXIPROXY_URL and leaves it running on stop()', async () => {
    const own = await resolveToxiproxy({ env: cleanEnv({ PATH: repoBin }) });
    started.push(own);
    const server = await resolveToxiproxy({ env: { PATH: '', TOXIPROXY_URL: own.url } });
    expect(server).toMatchObject({ url: own.url, source: 'env', version: '2.12.0' });
    await server.stop();
    expect((await fetch(`${own.url}/version`)).status).toBe(200);
  });

  it('fails with TOXIPROXY_URL_UNREACHABLE when TOXIPROXY_URL does not answer', async () => {
    const url = `http://127.0.0.1:${await findFreeLoopbackPort()}`;
    const error = await resolveToxiproxy({ env: { PATH: repoBin, TOXIPROXY_URL: url } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ShakedownError', code: 'TOXIPROXY_URL_UNREACHABLE', exitCode: 3 });
    expect((error as Error).message).toBe(
      `TOXIPROXY_URL=${url} does not answer GET /version (ECONNREFUSED). ` +
        'Start that server (e.g. `docker compose up toxiproxy`) or unset TOXIPROXY_URL to let Shakedown start one.',
    );
  });

  it('names the three ways to get a server, and what each step found, when nothing is available', async () => {
    const toolsDir = await tempDir();
    const error = await resolveToxiproxy({
      env: { PATH: '', HOME: toolsDir, DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
      toolsDir,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ShakedownError', code: 'TOXIPROXY_UNAVAILABLE', exitCode: 3 });
    expect((error as Error).message).toBe(
      [
        'No Toxiproxy server is available. Get one in any of these three ways:',
        '  1. Set TOXIPROXY_URL to a running server, e.g. `docker compose up toxiproxy` and TOXIPROXY_URL=http://127.0.0.1:8474.',
        '  2. Put toxiproxy-server on PATH, or run scripts/setup.sh (it builds one into .tools/bin).',
        '  3. Install Docker (Shakedown then starts ghcr.io/shopify/toxiproxy:2.12.0) or Go (Shakedown then builds toxiproxy-server v2.12.0).',
        'What each step found:',
        '  - TOXIPROXY_URL: not set',
        `  - toxiproxy-server: not on PATH, not at ${toolsDir}/bin/toxiproxy-server`,
        '  - Docker: DOCKER_HOST=unix:///nonexistent/docker.sock: no such socket',
        '  - Go: not on PATH',
      ].join('\n'),
    );
  });

  it('gives up on a Docker socket that accepts and never answers within dockerCheckTimeoutMs', async () => {
    const dir = await tempDir();
    const socketPath = join(dir, 'docker.sock');
    const silent = await startSilentServer(socketPath);
    try {
      const t0 = performance.now();
      const error = await resolveToxiproxy({
        env: { PATH: goPath ? dirname(goPath) : '', DOCKER_HOST: `unix://${socketPath}` },
        toolsDir: dir,
        dockerCheckTimeoutMs: 300,
        allowGoInstall: false,
      }).catch((e: unknown) => e);
      expect(performance.now() - t0).toBeLessThan(2_000);
      expect(error).toMatchObject({ code: 'TOXIPROXY_UNAVAILABLE' });
      const found = (error as Error).message.split('What each step found:\n')[1];
      expect(found).toBe(
        [
          '  - TOXIPROXY_URL: not set',
          `  - toxiproxy-server: not on PATH, not at ${dir}/bin/toxiproxy-server`,
          `  - Docker: unix://${socketPath} did not answer GET /_ping within 300 ms`,
          goPath ? `  - Go: ${goPath} found, but go install is turned off (allowGoInstall: false)` : '  - Go: not on PATH',
        ].join('\n'),
      );
    } finally {
      await silent.close();
    }
  });

  it('starts ghcr.io/shopify/toxiproxy with testcontainers when only a Docker engine is available', async (ctx) => {
    if (!docker.ok) skipWithReason(ctx, `no Docker engine answers here: ${docker.reason}`);
    // testcontainers reads its settings from process.env. Its Ryuk reaper is an image it pulls, and no registry is
    // reachable here (the engine's images are built locally): run without it, as the CLI test in
    // docker-testcontainers.test.ts does; the container is stopped by the server's stop() below.
    const ryuk = process.env.TESTCONTAINERS_RYUK_DISABLED;
    process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
    let server: Awaited<ReturnType<typeof resolveToxiproxy>>;
    try {
      server = await resolveToxiproxy({ env: cleanEnv({ PATH: '' }), toolsDir: await tempDir(), allowGoInstall: false });
    } finally {
      if (ryuk === undefined) delete process.env.TESTCONTAINERS_RYUK_DISABLED;
      else process.env.TESTCONTAINERS_RYUK_DISABLED = ryuk;
    }
    started.push(server);
    expect(server).toMatchObject({ source: 'docker', version: '2.12.0' });
    expect((await fetch(`${server.url}/version`)).status).toBe(200);
  });

  it('builds toxiproxy-server with go install into an empty toolsDir and starts it', { timeout: 300_000 }, async (ctx) => {
    if (process.env.SHAKEDOWN_TEST_GO_INSTALL !== '1') {
      skipWithReason(ctx, 'set SHAKEDOWN_TEST_GO_INSTALL=1 to run it: go install builds toxiproxy-server (about a minute)');
    }
    if (!goPath) skipWithReason(ctx, 'no go on PATH');
    const toolsDir = await tempDir();
    const lines: string[] = [];
    const server = await resolveToxiproxy({
      env: cleanEnv({ PATH: dirname(goPath as string), DOCKER_HOST: 'unix:///nonexistent/docker.sock' }),
      toolsDir,
      log: (line) => lines.push(line),
    });
    started.push(server);
    expect(server).toMatchObject({ source: 'go-install', version: '2.12.0' });
    expect(existsSync(join(toolsDir, 'bin', 'toxiproxy-server'))).toBe(true);
    expect(await readdir(toolsDir)).toEqual(['bin']); // the temporary GOBIN is gone
    expect(lines[0]).toContain('building toxiproxy-server v2.12.0 with');
  });
});
