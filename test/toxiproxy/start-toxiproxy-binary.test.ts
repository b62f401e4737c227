import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { findFreeLoopbackPort, startToxiproxyBinary, type StartedToxiproxyBinary } from '../../harness/toxiproxy/start-toxiproxy-binary.ts';
import { processExists, proxyNames, startSilentServer } from './helpers.ts';

const binary = fileURLToPath(new URL('../../.tools/bin/toxiproxy-server', import.meta.url));
const started: StartedToxiproxyBinary[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.stop()));
});

/** Hands out `first` once, then free ports. */
function takenThenFree(first: number): () => Promise<number> {
  let calls = 0;
  return () => (calls++ === 0 ? Promise.resolve(first) : findFreeLoopbackPort());
}

describe('startToxiproxyBinary', () => {
  it('starts again on another port when a plain TCP listener took the free port first', async () => {
    const squatter = await startSilentServer();
    try {
      const lines: string[] = [];
      const server = await startToxiproxyBinary(binary, { pickPort: takenThenFree(squatter.port), log: (line) => lines.push(line) });
      started.push(server);
      expect(new URL(server.url).port).not.toBe(String(squatter.port));
      expect(lines[0]).toBe(`toxiproxy-server: port ${squatter.port} was taken before the server bound it; trying another port`);
    } finally {
      await squatter.close();
    }
  });

  it('does not mistake another Toxiproxy on the port for the one it started, and leaves that one clean', async () => {
    const other = await startToxiproxyBinary(binary);
    started.push(other);
    const lines: string[] = [];
    const server = await startToxiproxyBinary(binary, {
      pickPort: takenThenFree(Number(new URL(other.url).port)),
      log: (line) => lines.push(line),
    });
    started.push(server);
    expect(server.url).not.toBe(other.url);
    expect(lines[0]).toMatch(/port \d+ was taken before the server bound it|another Toxiproxy answered on port \d+/);
    expect(await proxyNames(other.url)).toEqual([]);
    expect(await proxyNames(server.url)).toEqual([]); // the start-up sentinel is gone
  });

  it('fails with TOXIPROXY_START_FAILED and the last output lines when the binary exits', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'shakedown-binary-test-'));
    try {
      const fake = join(dir, 'toxiproxy-server');
      await writeFile(fake, '#!/bin/sh\necho "starting"\necho "fatal: cannot open config" >&2\nexit 2\n');
      await chmod(fake, 0o755);
      const error = await startToxiproxyBinary(fake).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'TOXIPROXY_START_FAILED', exitCode: 3 });
      expect((error as Error).message).toMatch(
        new RegExp(
          `^Failed to start Toxiproxy \\(${fake} -host 127\\.0\\.0\\.1 -port \\d+\\): it exited with code 2 before answering GET /version\\. ` +
            'Last output:\nstarting\nfatal: cannot open config\n' +
            'Run scripts/setup.sh to rebuild it, or set TOXIPROXY_URL to a running server\\.$',
        ),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('stop() escalates to SIGKILL when the process ignores SIGTERM, and waits for it to exit', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'shakedown-binary-test-'));
    try {
      // A stand-in that answers /version like Toxiproxy, holds the sentinel, and ignores SIGTERM.
      const fake = join(dir, 'toxiproxy-server');
      await writeFile(
        fake,
        `#!${process.execPath}\n` +
          `process.on('SIGTERM', () => {});\n` +
          `const port = Number(process.argv[process.argv.indexOf('-port') + 1]);\n` +
          `require('node:http').createServer((req, res) => {\n` +
          `  if (req.url === '/version') return res.end('{"version":"2.12.0"}');\n` +
          `  res.statusCode = req.method === 'DELETE' ? 204 : 404; res.end();\n` +
          `}).listen(port, '127.0.0.1');\n`,
      );
      await chmod(fake, 0o755);
      const server = await startToxiproxyBinary(fake, { stopGraceMs: 300 });
      const t0 = performance.now();
      await server.stop();
      expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
      expect(processExists(server.pid)).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
