/**
 * Issue 6.5: safety. Load to a non-loopback address is refused (only the refusal is exercised: no traffic ever
 * leaves loopback); the fakes and their control API listen on 127.0.0.1 only (read from /proc/net/tcp); results
 * are written atomically (a concurrent reader never sees part of a file, no temporary file stays); a run never
 * takes an earlier run's folder, even when both start in the same second; an output folder that cannot be created
 * and a port already taken give a clear error before load starts.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startFakes } from '../../harness/runner/fakes-process.ts';
import { createRunFolder, writeJsonAtomic } from '../../harness/results/write-results.ts';
import { ROOT, removeTempDirs, runCli, tempDir } from '../cli/helpers.ts';

afterAll(removeTempDirs);

/** Local addresses of the sockets listening on `port` (IPv4 and IPv6), from /proc/net/tcp{,6}. */
function listeningAddresses(port: number): string[] {
  const found: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (state !== '0A' || !local) continue; // 0A = LISTEN
      const [hex, portHex] = local.split(':');
      if (Number.parseInt(portHex, 16) !== port) continue;
      found.push(
        hex.length === 8
          ? hex
              .match(/../g)!
              .reverse()
              .map((b) => Number.parseInt(b, 16))
              .join('.')
          : hex,
      );
    }
  }
  return found;
}

describe('safety', () => {
  it('refuses load to a non-loopback SUT URL without --allow-remote-target, before anything starts (also in --dry-run)', async () => {
    const out = tempDir();
    for (const extra of [[], ['--dry-run']]) {
      const { code, stdout, stderr } = await runCli(['run', 'test/fixtures/scenarios/remote-target.ts', '--out', out, ...extra]);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toContain('Refusing to send load to 10.1.2.3: it is not a loopback address');
    }
    expect(readdirSync(out)).toEqual([]); // no run folder: nothing started
  });

  it('the fakes and their control API listen on 127.0.0.1 only', async () => {
    const fakes = await startFakes({
      seed: 1,
      fakes: { model: { kind: 'model', options: {} }, retrieval: { kind: 'retrieval', options: {} } },
    });
    try {
      for (const url of [fakes.controlUrl, fakes.fakes.model.url, fakes.fakes.retrieval.url]) {
        expect(listeningAddresses(Number(new URL(url).port))).toEqual(['127.0.0.1']);
      }
    } finally {
      await fakes.stop();
    }
  });

  it('writes results atomically: a reader in another process sees a whole file or none, and no temporary file stays', async () => {
    const dir = tempDir();
    const file = join(dir, 'results.json');
    const big = { rows: Array.from({ length: 20_000 }, (_, i) => ({ i, text: 'x'.repeat(40) })) };
    // A reader process parses the file in a tight loop while we rewrite it; it prints how many reads were partial.
    const reader = spawn(
      process.execPath,
      [
        '-e',
        `
      const fs = require('node:fs'); let ok = 0, partial = 0; const end = Date.now() + 1500;
      while (Date.now() < end) { let t; try { t = fs.readFileSync(${JSON.stringify(file)}, 'utf8'); } catch { continue; }
        try { JSON.parse(t); ok++; } catch { partial++; } }
      console.log(JSON.stringify({ ok, partial }));`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    reader.stdout.on('data', (c: Buffer) => {
      output += c.toString();
    });
    const done = new Promise((r) => reader.once('exit', r));
    const end = Date.now() + 1400;
    let writes = 0;
    while (Date.now() < end) {
      writeJsonAtomic(file, { ...big, writes: ++writes });
      await new Promise((r) => setImmediate(r));
    }
    await done;
    const { ok, partial } = JSON.parse(output) as { ok: number; partial: number };
    expect(writes).toBeGreaterThan(5);
    expect(ok).toBeGreaterThan(0);
    expect(partial).toBe(0);
    expect(readdirSync(dir)).toEqual(['results.json']);
  });

  it('never gives two runs the same folder, even when both start in the same second', () => {
    const root = tempDir();
    const now = new Date('2026-11-30T05:00:00Z');
    const first = createRunFolder(root, 'x', undefined, now);
    writeFileSync(join(first, 'results.json'), '{"earlier": true}');
    // Another run created the same folder name between our check and our mkdir: simulated by pre-creating "-2".
    mkdirSync(`${first}-2`);
    const second = createRunFolder(root, 'x', undefined, now);
    const third = createRunFolder(root, 'x', 'ci', now);
    expect(new Set([first, `${first}-2`, second, third]).size).toBe(4);
    expect(second).toBe(`${first}-3`);
    expect(readFileSync(join(first, 'results.json'), 'utf8')).toBe('{"earlier": true}');
    expect(readdirSync(second)).toEqual([]);
  });

  it('an output folder that cannot be created: exit 2 with the reason, before anything starts', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a-file'), '');
    const { code, stdout, stderr } = await runCli([
      'run',
      'test/fixtures/scenarios/robust-short.ts',
      '--out',
      join(dir, 'a-file', 'results'),
    ]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      /^shakedown: Cannot write results under .*a-file\/results: ENOTDIR: not a directory.*Pass --out with a writable folder\.\n$/,
    );
  });

  it("a port already taken (the SUT cannot bind its port): a clear error with the SUT's output before load starts, exit 3", async () => {
    // The flaky SUT binds $PORT; a scenario that fixes PORT to a port we hold makes it fail with EADDRINUSE.
    const holder = createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', () => r()));
    const port = (holder.address() as { port: number }).port;
    const dir = tempDir();
    const file = join(ROOT, 'test/fixtures/scenarios', `.port-taken-${process.pid}.ts`);
    writeFileSync(
      file,
      readFileSync(join(ROOT, 'test/fixtures/scenarios/sut-crash-after.ts'), 'utf8')
        .replace("name: 'sut-crash-after'", "name: 'port-taken'")
        .replace("env: { CRASH_AFTER: '15' }", `env: { PORT: '${port}' }, url: 'http://127.0.0.1:${port}'`),
    );
    try {
      const { code, stdout, stderr } = await runCli(['run', file, '--out', dir]);
      expect(code).toBe(3);
      expect(stdout).not.toContain('measured load');
      expect(stderr).toMatch(new RegExp(`port ${port} is already in use`));
    } finally {
      holder.close();
      (await import('node:fs')).rmSync(file, { force: true });
    }
  });
});
