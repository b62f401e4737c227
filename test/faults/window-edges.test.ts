/**
 * Window edges (issue 12, item 9), against the real Toxiproxy in front of the model fake, with the official
 * `openai` SDK as the client: what a request held by a fault meets when the fault window ends.
 */
import { randomBytes } from 'node:crypto';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { toxic } from '../../harness/scenario/faults.ts';
import { createProxyManager, resolveToxiproxy, type ProxyManager, type ToxiproxyServer } from '../../harness/toxiproxy/index.ts';
import { type RunningFakes, control, fixtureConfig, promptOf, startFakes } from '../fakes/fakes-fixture.ts';

const messages = [{ role: 'user' as const, content: promptOf(['[doc-001] Returns are accepted within 14 days.'], 'How many days?') }];

let server: ToxiproxyServer;
let fakes: RunningFakes;
let manager: ProxyManager;
let port: number;

beforeAll(async () => {
  server = await resolveToxiproxy();
  fakes = await startFakes(fixtureConfig());
  manager = createProxyManager(server.url, { namePrefix: `edges-${randomBytes(4).toString('hex')}-`, requestTimeoutMs: 2_000 });
  const listen = (await manager.createProxy('model', new URL(fakes.fakes.model.url).host)).listen;
  port = Number(listen.slice(listen.lastIndexOf(':') + 1));
});
afterEach(async () => {
  for (const t of (await manager.get('model')).toxics) await manager.removeToxic('model', t.name);
});
afterAll(async () => {
  await manager?.cleanup();
  await fakes?.close();
  await server?.stop();
});

/** Adds a fault's toxic, starts one SDK request, removes the toxic after `windowMs`; returns what the client got. */
async function heldRequest(fault: ReturnType<typeof toxic.timeout>, windowMs: number, maxRetries: number) {
  if (fault.kind !== 'toxic') throw new Error('a toxic fault is needed');
  const before = (await control(fakes, 'GET', '/fakes/model/stats')).body.requests as number;
  await manager.addToxic('model', { name: 'edge', type: fault.type, stream: fault.stream, attributes: fault.attributes });
  const client = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: 'k', maxRetries, timeout: 20_000 });
  const started = performance.now();
  const outcome = client.chat.completions.create({ model: 'gpt-4o-mini', messages }).then(
    (completion) => ({ ok: true as const, content: completion.choices[0].message.content, ms: performance.now() - started }),
    (error: Error) => ({
      ok: false as const,
      error: error.constructor.name,
      cause: String((error as { cause?: unknown }).cause ?? ''),
      ms: performance.now() - started,
    }),
  );
  await new Promise((resolve) => setTimeout(resolve, windowMs));
  await manager.removeToxic('model', 'edge');
  const removedAt = performance.now() - started;
  const result = await outcome;
  const requests = (await control(fakes, 'GET', '/fakes/model/stats')).body.requests - before;
  return { ...result, requests, removedAt };
}

describe('window edges against the real Toxiproxy', () => {
  it('removing a timeout toxic closes the connection it held: without retries the SDK fails with a connection error', async () => {
    const result = await heldRequest(toxic.timeout({ timeout: 0 }), 500, 0);
    expect(result).toMatchObject({ ok: false, error: 'APIConnectionError', requests: 1 });
  });

  it('with retries, the closed hang becomes a retry that succeeds: the fake answers the same call twice', async () => {
    const result = await heldRequest(toxic.timeout({ timeout: 0 }), 500, 2);
    expect(result).toMatchObject({ ok: true, requests: 2 });
    expect(result.ok && result.content).toContain('[doc-001]');
  });

  it("onRemove 'release' holds the answer and delivers it when the window ends: one request, no error", async () => {
    const result = await heldRequest(toxic.timeout({ timeout: 0, onRemove: 'release' }), 500, 0);
    expect(result).toMatchObject({ ok: true, requests: 1 });
    expect(result.ok && result.content).toContain('[doc-001]');
  });

  it('removing a latency toxic passes on what it holds at once: a 60 s latency ends with the window, not after 60 s', async () => {
    // The SDK's own timeout (20 s) would fail the request if the held bytes waited out the latency.
    const result = await heldRequest(toxic.latency({ latency: 60_000 }), 500, 0);
    expect(result).toMatchObject({ ok: true, requests: 1 });
  });

  it("refuses onRemove 'release' with a timeout other than 0, naming the factory", () => {
    expect(() => toxic.timeout({ timeout: 500, onRemove: 'release' })).toThrow(
      `toxic.timeout() onRemove must be 'close' or 'release', and 'release' needs timeout: 0 (Toxiproxy cannot release bytes its timeout toxic dropped), got {"timeout":500,"onRemove":"release"}`,
    );
  });
});
