import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakesConfig } from '../../fakes/index.ts';
import { formatResetDuration } from '../../fakes/quota-limiter.ts';
import { type RunningFakes, control, startFakes } from './fakes-fixture.ts';

const messages = [{ role: 'user' as const, content: 'Summarize in one sentence: The ferry left at noon. It was late.' }];

let running: RunningFakes | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function modelFake(options: NonNullable<Extract<FakesConfig['fakes'][string], { kind: 'model' }>['options']>) {
  running = await startFakes({ seed: 1, fakes: { model: { kind: 'model', options } } });
  return running;
}

const client = (fakes: RunningFakes, apiKey: string, maxRetries: number) =>
  new OpenAI({ baseURL: `${fakes.fakes.model.url}/v1`, apiKey, maxRetries, timeout: 10_000 });

const post = (fakes: RunningFakes, apiKey: string) =>
  fetch(`${fakes.fakes.model.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages }),
  });

describe('model fake quotas', () => {
  it('spells reset durations as OpenAI does', () => {
    expect([0, 17.2, 999, 1000, 1500, 20_000, 60_000, 90_500, 3_723_000].map(formatResetDuration)).toEqual([
      '0ms',
      '18ms',
      '999ms',
      '1s',
      '1.5s',
      '20s',
      '1m0s',
      '1m30.5s',
      '1h2m3s',
    ]);
  });

  it('refuses the request past rpm with retry-after until the window ends, and the openai SDK succeeds after waiting it', async () => {
    const fakes = await modelFake({ quota: { rpm: 2, window_ms: 1500 } });
    const sdk = client(fakes, 'sk-a', 2);
    const first = await sdk.chat.completions.create({ model: 'gpt-4o-mini', messages }).withResponse();
    expect(first.response.headers.get('x-ratelimit-limit-requests')).toBe('2');
    expect(first.response.headers.get('x-ratelimit-remaining-requests')).toBe('1');
    expect(first.response.headers.get('x-ratelimit-reset-requests')).toMatch(/^(\d+ms|1(\.\d+)?s)$/);
    expect(first.response.headers.get('x-ratelimit-limit-tokens')).toBeNull();
    await sdk.chat.completions.create({ model: 'gpt-4o-mini', messages });
    const third = await sdk.chat.completions.create({ model: 'gpt-4o-mini', messages }).withResponse();
    expect(third.data.choices[0].finish_reason).toBe('stop');
    // The retry landed in a new window: one request of it used.
    expect(third.response.headers.get('x-ratelimit-remaining-requests')).toBe('1');
    const log = (await control(fakes, 'GET', '/fakes/model/log?since=0')).body.entries;
    expect(log.map((e: { status: number }) => e.status)).toEqual([200, 200, 429, 200]);
    const refused = log[2];
    expect(refused.retry_after_ms).toBeGreaterThan(0);
    expect(refused.retry_after_ms).toBeLessThanOrEqual(1500);
    expect(refused.mode).toBeNull(); // the option's quota, not a mode
    // The SDK waited at least the retry-after it was given before its retry.
    expect(log[3].t_ms - refused.t_ms).toBeGreaterThanOrEqual(refused.retry_after_ms - 5);
  });

  it('counts each API key on its own', async () => {
    const fakes = await modelFake({ quota: { rpm: 1 } });
    expect((await post(fakes, 'sk-a')).status).toBe(200);
    const refused = await post(fakes, 'sk-a');
    expect(refused.status).toBe(429);
    const other = await post(fakes, 'sk-b');
    expect(other.status).toBe(200);
    expect(other.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    const body = await refused.json();
    expect(body.error.type).toBe('requests');
    expect(body.error.code).toBe('rate_limit_exceeded');
    expect(body.error.message).toMatch(
      /^Rate limit reached for gpt-4o-mini in organization org-shakedown on requests per min \(RPM\): Limit 1, Used 1, Requested 1\. Please try again in (\d+\.?\d*s|\d+ms)\.$/,
    );
    const waitMs = Number(refused.headers.get('retry-after-ms'));
    expect(waitMs).toBeGreaterThan(55_000);
    expect(waitMs).toBeLessThanOrEqual(60_000);
    expect(refused.headers.get('retry-after')).toBe(String(Math.ceil(waitMs / 1000)));
  });

  it('refuses a request whose prompt tokens exceed what is left of tpm, with the tokens headers', async () => {
    // The tokens of one answered request (prompt + completion), from an unlimited fake.
    const free = await modelFake({});
    const usage = (await (await post(free, 'sk-a')).json()).usage;
    await free.close();
    const fakes = await modelFake({ quota: { tpm: usage.total_tokens + 1 } });
    const first = await post(fakes, 'sk-a');
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-limit-tokens')).toBe(String(usage.total_tokens + 1));
    // Prompt and completion tokens are both taken before the headers are written.
    expect(first.headers.get('x-ratelimit-remaining-tokens')).toBe('1');
    const second = await post(fakes, 'sk-a');
    expect(second.status).toBe(429);
    const body = await second.json();
    expect(body.error.type).toBe('tokens');
    expect(body.error.message).toContain(
      `on tokens per min (TPM): Limit ${usage.total_tokens + 1}, Used ${usage.total_tokens}, Requested ${usage.prompt_tokens}.`,
    );
    expect(second.headers.get('x-ratelimit-remaining-tokens')).toBe('1');
  });

  it('applies a quota mode from the moment it is set, logs it as the mode that refused, and lifts it when removed', async () => {
    const fakes = await modelFake({});
    expect((await control(fakes, 'PUT', '/fakes/model/modes/q1', { kind: 'quota', rate: 1, rpm: 1, window_ms: 60_000 })).status).toBe(204);
    const sdk = client(fakes, 'sk-a', 0);
    await sdk.chat.completions.create({ model: 'gpt-4o-mini', messages });
    const error = await sdk.chat.completions.create({ model: 'gpt-4o-mini', messages }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).headers?.get('x-ratelimit-remaining-requests')).toBe('0');
    const stats = (await control(fakes, 'GET', '/fakes/model/stats')).body;
    expect(stats.by_mode).toEqual({ q1: 1 });
    const log = (await control(fakes, 'GET', '/fakes/model/log?since=0')).body.entries;
    expect(log.map((e: { mode: string | null }) => e.mode)).toEqual([null, 'q1']);
    expect((await control(fakes, 'DELETE', '/fakes/model/modes/q1')).status).toBe(204);
    const after = await sdk.chat.completions.create({ model: 'gpt-4o-mini', messages }).withResponse();
    expect(after.response.headers.get('x-ratelimit-limit-requests')).toBeNull();
  });

  it('refuses a quota mode with a rate other than 1, without limits, or on a fake that is not a model', async () => {
    running = await startFakes({
      seed: 1,
      fakes: { model: { kind: 'model' }, api: { kind: 'inventory' } },
    });
    const partial = await control(running, 'PUT', '/fakes/model/modes/q', { kind: 'quota', rate: 0.5, rpm: 1 });
    expect(partial.status).toBe(400);
    expect(partial.body.error.message).toContain('rate must be 1: a quota counts every request of its paths');
    const empty = await control(running, 'PUT', '/fakes/model/modes/q', { kind: 'quota', rate: 1 });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toContain('must set rpm, tpm or both');
    const inventory = await control(running, 'PUT', '/fakes/api/modes/q', { kind: 'quota', rate: 1, rpm: 1 });
    expect(inventory.status).toBe(400);
  });
});
