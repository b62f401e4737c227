/**
 * The ticket-triage example (examples/ticket-triage) as a real process against real fakes on loopback: the model
 * fake and its ticket store as a custom fake from the example's own msw handlers. What each policy does when the
 * store answers an error body or the model's quota runs out, and the scenarios' SHAKEDOWN_TWIN knob.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ROOT } from '../../bench/twin-cases.ts';
import { type RunningFakes, control, startFakes } from '../fakes/fakes-fixture.ts';

let fakes: RunningFakes;
beforeAll(async () => {
  fakes = await startFakes({
    seed: 7,
    fakes: {
      model: { kind: 'model' },
      tickets: { kind: 'custom', options: { handlers: join(ROOT, 'examples/ticket-triage/tickets-api.ts') } },
    },
  });
});
afterAll(() => fakes.close());
afterEach(async () => {
  await control(fakes, 'DELETE', '/fakes/model/modes');
  await control(fakes, 'DELETE', '/fakes/tickets/modes');
});

/** Starts the service with `policy` and returns its URL and a stop function (SIGTERM, SIGKILL after 5 s). */
async function startTriage(policy: string, apiKey: string) {
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'examples/ticket-triage/server.ts')], {
    env: {
      PATH: process.env.PATH ?? '',
      LLM_URL: `${fakes.fakes.model.url}/v1`,
      TICKETS_URL: fakes.fakes.tickets.url,
      TRIAGE_POLICY: policy,
      OPENAI_API_KEY: apiKey,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (output += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`ticket-triage did not start within 10 s: ${output}`)), 10_000);
    child.stdout!.on('data', () => {
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`ticket-triage exited with ${code}: ${output}`)));
  });
  const stop = () => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    return exited.finally(() => clearTimeout(killer));
  };
  return { url, stop };
}

const triage = async (url: string, ticket_id: string) => {
  const response = await fetch(`${url}/triage`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ticket_id }),
    signal: AbortSignal.timeout(8000),
  });
  return { status: response.status, body: await response.json() };
};

describe('ticket-triage example', () => {
  it('labels each ticket from the store through the model, in both policies', async () => {
    for (const policy of ['careful', 'careless']) {
      const service = await startTriage(policy, `sk-${policy}-labels`);
      try {
        const billing = await triage(service.url, 'T-1001');
        expect(billing).toMatchObject({ status: 200, body: { ticket_id: 'T-1001', label: 'billing', routed_to_human: false } });
        expect(billing.body.summary).toBe('My billing statement shows two charges for the March invoice.');
        expect((await triage(service.url, 'T-1002')).body.label).toBe('shipping');
      } finally {
        await service.stop();
      }
    }
  });

  it('routes a ticket the store answered with an error body to people when careful, and labels garbage when careless', async () => {
    await control(fakes, 'PUT', '/fakes/tickets/modes/eb', { kind: 'error_body', rate: 1 });
    const careful = await startTriage('careful', 'sk-eb-1');
    const careless = await startTriage('careless', 'sk-eb-2');
    try {
      expect(await triage(careful.url, 'T-1002')).toEqual({
        status: 200,
        body: {
          ticket_id: 'T-1002',
          label: 'needs_human',
          summary: '',
          routed_to_human: true,
          reason: 'the ticket store answered 200 without a ticket',
        },
      });
      const garbage = await triage(careless.url, 'T-1002');
      expect(garbage.status).toBe(200);
      expect(garbage.body.routed_to_human).toBe(false);
      expect(garbage.body.label).not.toBe('shipping');
    } finally {
      await Promise.all([careful.stop(), careless.stop()]);
    }
  });

  it('waits out a short quota retry-after when careful, and routes to people when the wait is long', async () => {
    const careful = await startTriage('careful', 'sk-quota');
    try {
      await control(fakes, 'PUT', '/fakes/model/modes/q', { kind: 'quota', rate: 1, rpm: 1, window_ms: 400 });
      expect((await triage(careful.url, 'T-1001')).body.label).toBe('billing');
      // The second call meets a 429 with retry-after-ms <= 400: waited out, then answered.
      expect((await triage(careful.url, 'T-1001')).body).toMatchObject({ label: 'billing', routed_to_human: false });
      const log = (await control(fakes, 'GET', '/fakes/model/log?since=0')).body.entries.filter(
        (e: { path: string }) => e.path === '/v1/chat/completions',
      );
      expect(log.slice(-3).map((e: { status: number }) => e.status)).toEqual([200, 429, 200]);
      await control(fakes, 'PUT', '/fakes/model/modes/q', { kind: 'quota', rate: 1, rpm: 1 });
      await triage(careful.url, 'T-1001');
      expect((await triage(careful.url, 'T-1001')).body).toMatchObject({ label: 'needs_human', routed_to_human: true });
    } finally {
      await careful.stop();
    }
  });

  it("scenarios pass TRIAGE_POLICY from SHAKEDOWN_TWIN and name the example's handlers module", async () => {
    const deps = {
      model: { url: 'http://127.0.0.1:1', host: '127.0.0.1', port: 1 },
      tickets: { url: 'http://127.0.0.1:2', host: '127.0.0.1', port: 2 },
    };
    for (const file of ['scenarios/triage-model-quota.ts', 'scenarios/triage-tickets-faults.ts']) {
      for (const twin of ['careful', 'careless']) {
        process.env.SHAKEDOWN_TWIN = twin;
        vi.resetModules();
        try {
          const scenario = (await import(pathToFileURL(join(ROOT, file)).href)).default;
          expect(scenario.system.env(deps)).toEqual({
            LLM_URL: 'http://127.0.0.1:1/v1',
            TICKETS_URL: 'http://127.0.0.1:2',
            TRIAGE_POLICY: twin,
          });
          // Named relative to the scenario file, so the scenario loads from any folder (list, run from elsewhere).
          expect(scenario.dependencies.tickets).toEqual({
            kind: 'custom',
            options: { handlers: join(ROOT, 'examples/ticket-triage/tickets-api.ts') },
          });
        } finally {
          delete process.env.SHAKEDOWN_TWIN;
        }
      }
    }
  });
});
