/**
 * --allow-remote-target reaches the load engine: load really goes to a non-loopback address, one this test owns.
 * The test creates a network namespace joined to the host by a veth pair on a /30 of 198.18.0.0/15 (RFC 2544's
 * benchmarking range, routed nowhere), runs a tiny HTTP server inside it, and drives load from the host
 * namespace. Without the flag the engine and the CLI refuse the address before any request. Everything is
 * removed in afterAll. Making namespaces needs root and `ip`; without them the tests skip, saying why.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoad, type Sample } from '../../harness/load/run-load.ts';
import { readRun, removeTempDirs, runCli, tempDir } from '../cli/helpers.ts';

// One /30 per test process, so engineers running this at once never collide: 198.18.<a>.<b..b+3>.
const n = process.pid % 16_384;
const [a, b] = [Math.floor(n / 64), (n % 64) * 4];
const HOST_IP = `198.18.${a}.${b + 1}`;
const NS_IP = `198.18.${a}.${b + 2}`;
const NS = `sd-remote-${process.pid}`;
const VETH = `sdr${process.pid}`.slice(0, 15);
const URL_ = `http://${NS_IP}:8080`;

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 5000 }).toString();

/** Counts the requests that carry a sample id; `GET /count` answers that count (and is not counted). */
const SERVER = `
let count = 0;
require('node:http').createServer((req, res) => {
  req.resume();
  if (req.url === '/count') return res.end(String(count));
  if (req.headers['x-shakedown-sample-id']) count++;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ answer: 'remote ok' }));
}).listen(8080, '${NS_IP}', () => process.stdout.write('listening\\n'));
`;

let skipReason: string | null = null;
let server: ChildProcess | undefined;

async function count(): Promise<number> {
  return Number(await (await fetch(`${URL_}/count`, { signal: AbortSignal.timeout(2000) })).text());
}

beforeAll(async () => {
  try {
    if (process.getuid?.() !== 0) throw new Error('not root');
    ip('netns', 'add', NS);
    ip('link', 'add', VETH, 'type', 'veth', 'peer', 'name', `${VETH}p`);
    ip('link', 'set', `${VETH}p`, 'netns', NS);
    ip('addr', 'add', `${HOST_IP}/30`, 'dev', VETH);
    ip('link', 'set', VETH, 'up');
    ip('-n', NS, 'addr', 'add', `${NS_IP}/30`, 'dev', `${VETH}p`);
    ip('-n', NS, 'link', 'set', `${VETH}p`, 'up');
  } catch (error) {
    skipReason = `cannot create a network namespace here (${(error as Error).message.split('\n')[0]}): needs root and iproute2`;
    return;
  }
  server = spawn('ip', ['netns', 'exec', NS, process.execPath, '-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the namespace server did not start within 10 s')), 10_000);
    server!.stdout!.on('data', () => {
      clearTimeout(timer);
      resolve();
    });
    server!.once('exit', (code) => reject(new Error(`the namespace server exited (${code})`)));
  });
}, 20_000);

afterAll(() => {
  server?.kill('SIGKILL');
  for (const args of [
    ['link', 'del', VETH],
    ['netns', 'del', NS],
  ]) {
    try {
      ip(...args);
    } catch {
      // Not created (the setup failed before it): nothing to remove.
    }
  }
  delete process.env.SHAKEDOWN_TEST_REMOTE_URL;
  removeTempDirs();
});

describe('load to a non-loopback address the test owns', () => {
  it('is refused by the load engine without allow_remote_target and sent with it', async (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    const next = () => ({ path: '/ask' });
    const base = { executor: 'constant-arrival-rate', url: URL_, rate: 20, duration_ms: 500, next } as const;
    await expect(async () => runLoad(base)).rejects.toThrow(
      `load.url: Refusing to send load to ${NS_IP}: it is not a loopback address. Shakedown loads only 127.0.0.0/8, localhost or ::1 unless you pass --allow-remote-target.`,
    );
    expect(await count()).toBe(0);

    const samples: Sample[] = [];
    const summary = await runLoad({ ...base, allow_remote_target: true, onSample: (s) => samples.push(s) });
    expect(summary.sent).toBe(10);
    expect(samples.map((s) => [s.status, s.error_kind, s.body])).toEqual(Array(10).fill([200, null, '{"answer":"remote ok"}']));
    expect(await count()).toBe(10);
  }, 20_000);

  it('is refused by the CLI with exit 2 before anything starts, and run end to end with --allow-remote-target', async (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    process.env.SHAKEDOWN_TEST_REMOTE_URL = URL_;
    const before = await count();
    const refused = await runCli(['run', 'test/fixtures/scenarios/netns-target.ts', '--out', tempDir()]);
    expect(refused).toEqual({
      code: 2,
      stdout: '',
      stderr: `shakedown: Refusing to send load to ${NS_IP}: it is not a loopback address. Shakedown loads only 127.0.0.0/8, localhost or ::1 unless you pass --allow-remote-target.\n`,
    });
    expect(await count()).toBe(before);

    const out = tempDir();
    const allowed = await runCli([
      'run',
      'test/fixtures/scenarios/netns-target.ts',
      '--out',
      out,
      '--allow-remote-target',
      '--seed',
      '7',
      '--quiet',
    ]);
    expect(allowed.stderr).toBe('');
    expect(allowed.code).toBe(0);
    const { result, samples } = readRun(out, 'netns-target');
    expect(result.run.status).toBe('completed');
    expect(result.reconciliation.sent).toBe(20);
    expect(samples).toHaveLength(20);
    expect(samples.map((line) => (JSON.parse(line) as { status: number }).status)).toEqual(Array(20).fill(200));
    expect((await count()) - before).toBe(20);
  }, 60_000);
});
