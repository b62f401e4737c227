/**
 * The fakes' control API under the harness: a per-run token passed over the IPC channel, required on every
 * control request (a real fakes child process, real HTTP on loopback).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakes, type FakesProcess } from '../../harness/runner/fakes-process.ts';

let fakes: FakesProcess;
beforeAll(async () => {
  fakes = await startFakes({ seed: 1, fakes: { model: { kind: 'model', options: {} } } });
});
afterAll(async () => {
  await fakes?.stop();
});

const refusal = {
  error: {
    message:
      'The fakes control API needs Authorization: Bearer <token> (the run passes its token privately; by hand, the SHAKEDOWN_CONTROL_TOKEN the fakes were started with).',
    type: 'invalid_request_error',
    param: null,
    code: 'invalid_control_token',
  },
};

describe('control API token', () => {
  it('refuses a mode change without the token with 401, and the mode is not set', async () => {
    const res = await fetch(`${fakes.controlUrl}/fakes/model/modes/outsider`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'http_error', status: 500, rate: 1 }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual(refusal);
    expect(await fakes.modes('model')).toEqual({ modes: {} });
  });

  it('refuses a wrong token and every read without one, and counts each refusal in /health', async () => {
    const wrong = await fetch(`${fakes.controlUrl}/fakes/model/stats`, { headers: { authorization: 'Bearer guessed' } });
    expect(wrong.status).toBe(401);
    const bare = await fetch(`${fakes.controlUrl}/health`);
    expect(bare.status).toBe(401);
    expect((await fakes.health()).refused_control_requests).toBe(3);
  });

  it("accepts the harness's own calls, which carry the token", async () => {
    await fakes.setMode('model', 'ours', { kind: 'http_error', status: 503, rate: 1 });
    expect(Object.keys((await fakes.modes('model')).modes)).toEqual(['ours']);
    await fakes.clearMode('model', 'ours');
    expect(await fakes.modes('model')).toEqual({ modes: {} });
  });

  it('keeps the token out of the child process environment and command line', () => {
    const environ = readFileSync(`/proc/${fakes.pid}/environ`, 'latin1');
    const cmdline = readFileSync(`/proc/${fakes.pid}/cmdline`, 'latin1');
    expect(environ).not.toMatch(/SHAKEDOWN_CONTROL_TOKEN/);
    expect(cmdline).not.toMatch(/token/i);
  });
});
