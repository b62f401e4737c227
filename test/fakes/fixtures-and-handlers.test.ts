import { fileURLToPath } from 'node:url';
import { setupServer } from 'msw/node';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { FakesConfigError, type FakesConfig, modelHandlers, validateFakesConfig } from '../../fakes/index.ts';
import { FIXTURE_CORPUS, type RunningFakes, control, startFakes } from './fakes-fixture.ts';

const WEATHER = fileURLToPath(new URL('./fixtures/weather-handlers.ts', import.meta.url));
const NOT_HANDLERS = fileURLToPath(new URL('./fixtures/not-handlers.ts', import.meta.url));

let running: RunningFakes | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});
async function start(fakes: FakesConfig['fakes']) {
  running = await startFakes({ seed: 3, fakes });
  return running;
}

const REFUND = 'Our refund window is 30 days. Refunds go back to the card used. Shipping costs are not refunded.';

describe('model fake fixtures', () => {
  const fixtures = [
    { match: { userIncludes: 'refund' }, response: { content: REFUND } },
    {
      match: { path: '/v1/embeddings', bodyIncludes: '"input":"forbidden"' },
      response: {
        status: 400,
        body: { error: { message: 'blocked input', type: 'invalid_request_error', param: 'input', code: 'blocked' } },
      },
    },
  ];

  it('answers a matching prompt with the fixture content, plain and streamed, through the openai SDK', async () => {
    const fakes = await start({ model: { kind: 'model', options: { chunk_delay_ms: 1, fixtures } } });
    const sdk = new OpenAI({ baseURL: `${fakes.fakes.model.url}/v1`, apiKey: 'sk-test', maxRetries: 0 });
    const messages = [{ role: 'user' as const, content: 'What is the REFUND policy?' }];
    const plain = await sdk.chat.completions.create({ model: 'gpt-4o-mini', messages });
    expect(plain.choices[0].message.content).toBe(REFUND);
    expect(plain.choices[0].finish_reason).toBe('stop');
    const stream = await sdk.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
    let streamed = '';
    for await (const chunk of stream) streamed += chunk.choices[0]?.delta.content ?? '';
    expect(streamed).toBe(REFUND);
    const responses = await sdk.responses.create({ model: 'gpt-4o-mini', input: 'refund rules?' });
    expect(responses.output_text).toBe(REFUND);
    // A prompt no fixture matches gets the fake's own prompt-derived answer.
    const other = await sdk.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Summarize in one sentence:\nThe ferry left at noon.' }],
    });
    expect(other.choices[0].message.content).toBe('The ferry left at noon.');
  });

  it('applies content faults to a fixture answer as to its own', async () => {
    const fakes = await start({ model: { kind: 'model', options: { fixtures } } });
    await control(fakes, 'PUT', '/fakes/model/modes/cut', { kind: 'truncate', rate: 1, keep_ratio: 0.5 });
    const sdk = new OpenAI({ baseURL: `${fakes.fakes.model.url}/v1`, apiKey: 'sk-test', maxRetries: 0 });
    const cut = await sdk.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'refund?' }] });
    expect(cut.choices[0].finish_reason).toBe('length');
    expect(cut.choices[0].message.content).toBe('Our refund window is 30 days. Refunds go back');
  });

  it('sends a raw fixture as given, and the SDK reads it as the API error it is', async () => {
    const fakes = await start({ model: { kind: 'model', options: { fixtures } } });
    const sdk = new OpenAI({ baseURL: `${fakes.fakes.model.url}/v1`, apiKey: 'sk-test', maxRetries: 0 });
    const error = await sdk.embeddings.create({ model: 'text-embedding-3-small', input: 'forbidden' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).message).toBe('400 blocked input');
    const allowed = await sdk.embeddings.create({ model: 'text-embedding-3-small', input: 'fine' });
    expect(allowed.data[0].embedding).toHaveLength(64);
  });

  it('serves the user msw handlers on the model fake, with http_error modes applying to them', async () => {
    const fakes = await start({ model: { kind: 'model', options: { handlers: WEATHER } } });
    const sdk = new OpenAI({ baseURL: `${fakes.fakes.model.url}/v1`, apiKey: 'sk-test', maxRetries: 0 });
    const moderation = await sdk.moderations.create({ model: 'omni-moderation-latest', input: 'hello' });
    expect(moderation.results[0].flagged).toBe(false);
    await control(fakes, 'PUT', '/fakes/model/modes/down', { kind: 'http_error', rate: 1, status: 503, paths: ['/v1/moderations'] });
    const error = await sdk.moderations.create({ model: 'omni-moderation-latest', input: 'hello' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect((error as InstanceType<typeof OpenAI.InternalServerError>).status).toBe(503);
    // The mode's paths leave chat completions alone.
    const chat = await sdk.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Summarize:\nIt rained.' }],
    });
    expect(chat.choices[0].message.content).toBe('It rained.');
    expect((await control(fakes, 'GET', '/fakes/model/stats')).body.by_mode).toEqual({ down: 1 });
  });
});

describe('fixtures elsewhere', () => {
  it('answers raw and content fixtures under msw setupServer, only on the fake base URL', async () => {
    const server = setupServer(
      ...modelHandlers(
        {
          fixtures: [
            {
              match: { path: '/v1/models' },
              response: { status: 503, body: { error: { message: 'maintenance', type: 'server_error', param: null, code: null } } },
            },
            { match: { userIncludes: 'refund' }, response: { content: REFUND } },
          ],
        },
        { baseUrl: 'https://api.openai.test' },
      ),
    );
    server.listen({ onUnhandledFrame: 'error' });
    try {
      const sdk = new OpenAI({ baseURL: 'https://api.openai.test/v1', apiKey: 'k', maxRetries: 0 });
      const error = await sdk.models.list().catch((e: unknown) => e);
      expect(error).toMatchObject({ status: 503, message: '503 maintenance' });
      const answer = await sdk.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'refund?' }] });
      expect(answer.choices[0].message.content).toBe(REFUND);
    } finally {
      server.close();
    }
  });

  it('answers a raw fixture on the retrieval fake and leaves other searches to it', async () => {
    const fakes = await start({
      retrieval: {
        kind: 'retrieval',
        options: { corpus: FIXTURE_CORPUS, fixtures: [{ match: { bodyIncludes: '"query":"outage"' }, response: { status: 500 } }] },
      },
    });
    const search = (query: string) =>
      fetch(`${fakes.fakes.retrieval.url}/search`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, k: 1 }),
      });
    const failed = await search('outage');
    expect(failed.status).toBe(500);
    expect(await failed.text()).toBe('');
    const found = await search('returns');
    expect(found.status).toBe(200);
    expect((await found.json()).results).toHaveLength(1);
  });
});

describe('custom fake', () => {
  const custom = (extra: Record<string, unknown> = {}): FakesConfig['fakes'] => ({
    weather: {
      kind: 'custom',
      options: {
        handlers: WEATHER,
        fixtures: [{ match: { method: 'GET', path: '/v1/weather/atlantis' }, response: { status: 410, body: { error: 'sunk' } } }],
        ...extra,
      },
    },
  });

  it('serves the user handlers and fixtures on its own port, and a 404 naming what nothing answered', async () => {
    const fakes = await start(custom());
    const url = fakes.fakes.weather.url;
    expect(fakes.fakes.weather.kind).toBe('custom');
    const paris = await fetch(`${url}/v1/weather/paris`);
    expect(paris.status).toBe(200);
    expect(await paris.json()).toEqual({ city: 'paris', temperature_c: 21, sky: 'clear' });
    const atlantis = await fetch(`${url}/v1/weather/atlantis`);
    expect(atlantis.status).toBe(410);
    expect(await atlantis.json()).toEqual({ error: 'sunk' });
    const missing = await fetch(`${url}/v1/forecast`);
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.message).toBe('No fixture or handler of this fake answers GET /v1/forecast.');
    const log = (await control(fakes, 'GET', '/fakes/weather/log?since=0')).body.entries;
    expect(log.map((e: { path: string; status: number }) => `${e.path} ${e.status}`)).toEqual([
      '/v1/weather/paris 200',
      '/v1/weather/atlantis 410',
      '/v1/forecast 404',
    ]);
  });

  it('applies error_body and http_error modes to every request of their paths', async () => {
    const fakes = await start(custom());
    const url = fakes.fakes.weather.url;
    await control(fakes, 'PUT', '/fakes/weather/modes/eb', { kind: 'error_body', rate: 1, paths: ['/v1/weather/*'] });
    const body = await fetch(`${url}/v1/weather/paris`);
    expect(body.status).toBe(200);
    expect((await body.json()).error.type).toBe('server_error');
    await control(fakes, 'DELETE', '/fakes/weather/modes/eb');
    await control(fakes, 'PUT', '/fakes/weather/modes/rl', { kind: 'http_error', rate: 1, status: 429, retry_after_s: 2 });
    const limited = await fetch(`${url}/v1/weather/atlantis`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect((await control(fakes, 'GET', '/fakes/weather/stats')).body.by_mode).toEqual({ eb: 1, rl: 1 });
  });

  it('refuses a quota mode and model-only fixture fields on a custom fake', async () => {
    const fakes = await start(custom());
    const quota = await control(fakes, 'PUT', '/fakes/weather/modes/q', { kind: 'quota', rate: 1, rpm: 1 });
    expect(quota.status).toBe(400);
    expect(() =>
      validateFakesConfig({
        fakes: custom({ fixtures: [{ match: { userIncludes: 'x' }, response: { content: 'hi' } }] }),
      }),
    ).toThrow(
      [
        'Invalid fakes config:',
        '  - fakes.weather.options.fixtures[0].response.content applies only to a model fake: give { status?, body?, headers? }',
        '  - fakes.weather.options.fixtures[0].match.userIncludes applies only to a model fake',
      ].join('\n'),
    );
  });

  it('lists every problem of the extension options with its path', () => {
    const problems = (() => {
      try {
        validateFakesConfig({
          fakes: {
            model: {
              kind: 'model',
              options: { quota: { rpm: 0, window_ms: 5 }, fixtures: [{ match: { path: 'v1' }, response: { status: 99 } }] },
            },
            api: { kind: 'custom', options: { latency_ms: 1 } },
          },
        });
      } catch (error) {
        return (error as FakesConfigError).problems;
      }
      return [];
    })();
    expect(problems).toEqual([
      'fakes.model.options.quota.rpm must be an integer from 1 to 1000000000',
      'fakes.model.options.quota.window_ms must be milliseconds from 100 to 3600000',
      'fakes.model.options.fixtures[0].match.path must be a path starting with "/"',
      'fakes.model.options.fixtures[0].response.status must be an integer from 200 to 599',
      "fakes.api.options.handlers is required: the module of the custom fake's msw handlers",
    ]);
  });

  it('says which module does not export handlers', async () => {
    await expect(startFakes({ fakes: { x: { kind: 'custom', options: { handlers: NOT_HANDLERS } } } })).rejects.toThrow(
      `fakes.x.options.handlers: ${NOT_HANDLERS} must export default an array of msw handlers (export default [http.get('/path', resolver), ...])`,
    );
  });
});
