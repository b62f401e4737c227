/**
 * Count-based faults (`when`) and path targeting (`paths`) on the model fake, through the official `openai` SDK:
 * which attempts fail, what the SDK's retries see, and the fake's by_mode counters as proof.
 */
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mode } from '../../contract/index.ts';
import { type RunningFakes, control, fixtureConfig, promptOf, startFakes } from '../fakes/fakes-fixture.ts';

const messages = [{ role: 'user' as const, content: promptOf(['[doc-001] Returns are accepted within 14 days.'], 'How many days?') }];

let fakes: RunningFakes;
beforeAll(async () => {
  fakes = await startFakes(fixtureConfig());
});
afterEach(async () => {
  await control(fakes, 'DELETE', '/fakes/model/modes');
});
afterAll(() => fakes?.close());

/** Switches the model fake into a factory-built mode under `id`. */
async function setMode(id: string, fault: ReturnType<typeof mode.httpError>) {
  const put = await control(fakes, 'PUT', `/fakes/model/modes/${id}`, fault.mode);
  expect(put).toEqual({ status: 204, body: null });
}

/** Statuses of the model fake's log entries after `since`, in completion order. */
async function statusesSince(since: number): Promise<number[]> {
  const page = (await control(fakes, 'GET', `/fakes/model/log?since=${since}`)).body;
  return page.entries.map((e: { status: number }) => e.status);
}

const lastSeq = async () => {
  const entries = (await control(fakes, 'GET', '/fakes/model/log?since=0')).body.entries;
  return entries.length ? (entries.at(-1).seq as number) : 0;
};

// retry-after-ms 10: the SDK honours it, so its retries come at once rather than after its 0.5-8 s backoff.
const quickRetry = { retryAfter: 0.01 };

describe('count-based faults', () => {
  it('first: 2 fails the first two attempts; the SDK retries twice and gets the answer', async () => {
    await setMode('first2', mode.httpError({ status: 500, when: { first: 2 }, ...quickRetry }));
    const since = await lastSeq();
    const client = new OpenAI({ baseURL: `${fakes.fakes.model.url}/v1`, apiKey: 'k', maxRetries: 2 });
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    expect(completion.choices[0].message.content).toBe('Returns are accepted within 14 days. [doc-001]');
    expect(await statusesSince(since)).toEqual([500, 500, 200]);
    expect((await control(fakes, 'GET', '/fakes/model/stats')).body.by_mode.first2).toBe(2);
  });

  it('nth: 3 fails only the third request, counted from when the mode was set', async () => {
    await setMode('third', mode.httpError({ status: 503, when: { nth: 3 } }));
    const client = new OpenAI({ baseURL: `${fakes.fakes.model.url}/v1`, apiKey: 'k', maxRetries: 0 });
    const outcomes: string[] = [];
    for (let i = 0; i < 5; i++) {
      outcomes.push(
        await client.chat.completions.create({ model: 'gpt-4o-mini', messages }).then(
          () => 'ok',
          (error: Error) => error.constructor.name,
        ),
      );
    }
    expect(outcomes).toEqual(['ok', 'ok', 'InternalServerError', 'ok', 'ok']);
  });

  it('every: 2 fails every second request', async () => {
    await setMode('every2', mode.httpError({ status: 500, when: { every: 2 } }));
    const since = await lastSeq();
    for (let i = 0; i < 6; i++) await fetch(`${fakes.fakes.model.url}/v1/models`).then((r) => r.arrayBuffer());
    expect(await statusesSince(since)).toEqual([200, 500, 200, 500, 200, 500]);
  });

  it('oncePerRequest fails the first attempt of each SUT request (by x-shakedown-sample-id) and lets its retry through', async () => {
    await setMode('once', mode.httpError({ status: 502, when: { oncePerRequest: true }, ...quickRetry }));
    const since = await lastSeq();
    const client = new OpenAI({ baseURL: `${fakes.fakes.model.url}/v1`, apiKey: 'k', maxRetries: 1 });
    for (const sample of ['s-1', 's-2', 's-3']) {
      const completion = await client.chat.completions.create(
        { model: 'gpt-4o-mini', messages },
        { headers: { 'x-shakedown-sample-id': sample } },
      );
      expect(completion.choices[0].finish_reason).toBe('stop');
    }
    expect(await statusesSince(since)).toEqual([502, 200, 502, 200, 502, 200]);
    expect((await control(fakes, 'GET', '/fakes/model/stats')).body.by_mode.once).toBe(3);
  });

  it('oncePerRequest without a trace id correlates attempts by the request body: the same body passes, a new one fails once', async () => {
    await setMode('once-body', mode.httpError({ status: 500, when: { oncePerRequest: true } }));
    const since = await lastSeq();
    const ask = (question: string) =>
      fetch(`${fakes.fakes.model.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: question }] }),
      }).then((r) => r.status);
    expect([await ask('a?'), await ask('a?'), await ask('b?'), await ask('b?'), await ask('a?')]).toEqual([500, 200, 500, 200, 200]);
    expect(await statusesSince(since)).toEqual([500, 200, 500, 200, 200]);
  });
});

describe('path targeting', () => {
  it('paths: ["/v1/embeddings"] fails embeddings only; chat completions answer', async () => {
    await setMode('embed-down', mode.httpError({ status: 503, paths: ['/v1/embeddings'] }));
    const client = new OpenAI({ baseURL: `${fakes.fakes.model.url}/v1`, apiKey: 'k', maxRetries: 0 });
    const embedding = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'returns' }).then(
      () => 'ok',
      (error: Error) => error.constructor.name,
    );
    expect(embedding).toBe('InternalServerError');
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    expect(completion.choices[0].message.content).toBe('Returns are accepted within 14 days. [doc-001]');
    const stats = (await control(fakes, 'GET', '/fakes/model/stats')).body;
    expect(stats.by_mode['embed-down']).toBe(1);
  });

  it('a fake refuses a path that does not start with "/" and a when with two fields, naming each problem', async () => {
    const put = await control(fakes, 'PUT', '/fakes/model/modes/bad', {
      kind: 'http_error',
      rate: 1,
      status: 500,
      paths: ['v1/embeddings'],
      when: { nth: 1, every: 2 },
    });
    expect(put.status).toBe(400);
    expect(put.body.error.message).toBe(
      `Invalid mode 'bad' for fake 'model': paths must be a non-empty array of paths starting with "/"; when must give exactly one of nth, first, every, once_per_request.`,
    );
  });
});
