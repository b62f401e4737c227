import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakesChildMessage } from '../../fakes/index.ts';
import { fixtureConfig } from './fakes-fixture.ts';

const SERVE = fileURLToPath(new URL('../../fakes/serve.ts', import.meta.url));
const children: ChildProcess[] = [];

function startChild(config: unknown): { child: ChildProcess; message: Promise<FakesChildMessage> } {
  const child = fork(SERVE, [], {
    env: { ...process.env, SHAKEDOWN_FAKES_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    execPath: process.execPath,
  });
  children.push(child);
  const message = new Promise<FakesChildMessage>((resolve, reject) => {
    child.once('message', (m) => resolve(m as FakesChildMessage));
    child.once('exit', (code) => reject(new Error(`fakes child exited with ${code} before its first message`)));
  });
  return { child, message };
}

/** Sends the control token over IPC as the harness does and waits for the child to confirm it. */
async function sendToken(child: ChildProcess, token: string): Promise<void> {
  const confirmed = new Promise<void>((resolve) =>
    child.on('message', (m: FakesChildMessage) => {
      if (m.type === 'token-set') resolve();
    }),
  );
  child.send({ type: 'control-token', token });
  await confirmed;
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve([child.exitCode, child.signalCode]) : once(child, 'exit');

describe('fakes child process (serve.ts)', () => {
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  it('sends a ready message with one loopback URL per fake, serves them, and exits when its IPC channel closes', async () => {
    const { child, message } = startChild(fixtureConfig());
    const ready = await message;
    expect(ready).toMatchObject({ type: 'ready', control_url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) });
    if (ready.type !== 'ready') throw new Error('not ready');
    expect(Object.entries(ready.fakes).map(([name, f]) => [name, f.kind])).toEqual([
      ['model', 'model'],
      ['retrieval', 'retrieval'],
      ['api', 'inventory'],
    ]);
    // Control requests are refused until the token arrives over IPC, then need it.
    expect((await fetch(`${ready.control_url}/health`)).status).toBe(401);
    await sendToken(child, 'run-secret');
    expect((await fetch(`${ready.control_url}/health`)).status).toBe(401);
    const health = (await (await fetch(`${ready.control_url}/health`, { headers: { authorization: 'Bearer run-secret' } })).json()) as any;
    expect(health).toMatchObject({ ok: true, refused_control_requests: 2 });
    const models = await fetch(`${ready.fakes.model.url}/v1/models`);
    expect(models.status).toBe(200);

    child.disconnect();
    const [code] = await exited(child);
    expect(code).toBe(0);
  });

  it('exits on SIGTERM even while a stalled stream holds a connection open', async () => {
    const { child, message } = startChild(fixtureConfig());
    const ready = await message;
    if (ready.type !== 'ready') throw new Error('not ready');
    await sendToken(child, 'run-secret');
    const set = await fetch(`${ready.control_url}/fakes/model/modes/stall`, {
      method: 'PUT',
      headers: { authorization: 'Bearer run-secret' },
      body: JSON.stringify({ kind: 'stream_stall', rate: 1, after_chunks: 1 }),
    });
    expect(set.status).toBe(204);
    const response = await fetch(`${ready.fakes.model.url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: '[d] A b c d e f g.\nQuestion: a b c?' }] }),
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    const readUntilEnd = (async () => {
      for (;;) if ((await reader.read()).done) return 'ended';
    })().catch(() => 'reset');

    const started = performance.now();
    child.kill('SIGTERM');
    const [code] = await exited(child);
    expect(code).toBe(0);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(['ended', 'reset']).toContain(await readUntilEnd);
  });

  it('reports an invalid config with an error message and exit code 1', async () => {
    const { child, message } = startChild({ fakes: { model: { kind: 'modle' } } });
    expect(await message).toEqual({
      type: 'error',
      message: 'Invalid fakes config:\n  - fakes.model.kind must be one of model, retrieval, inventory, custom',
    });
    const [code] = await exited(child);
    expect(code).toBe(1);
  });
});
