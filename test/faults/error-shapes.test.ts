/**
 * Error shapes of `http_error` (issue 12, item 4): OpenAI's body per status, Anthropic's 529, where the retry hint
 * goes, and what the official `openai` SDK makes of each.
 */
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ModeFault, mode } from '../../contract/index.ts';
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

async function setMode(fault: ModeFault, id = 'err') {
  expect(await control(fakes, 'PUT', `/fakes/model/modes/${id}`, fault.mode)).toEqual({ status: 204, body: null });
}

const models = () => fetch(`${fakes.fakes.model.url}/v1/models`);

describe('provider error bodies by status', () => {
  it.each([
    [400, 'BadRequestError', { message: 'Invalid request.', type: 'invalid_request_error', param: null, code: null }],
    [
      401,
      'AuthenticationError',
      {
        message: 'Incorrect API key provided: sk-shake****down. You can find your API key at https://platform.openai.com/account/api-keys.',
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_api_key',
      },
    ],
    [
      403,
      'PermissionDeniedError',
      {
        message: 'Country, region, or territory not supported',
        type: 'request_forbidden',
        param: null,
        code: 'unsupported_country_region_territory',
      },
    ],
    [
      404,
      'NotFoundError',
      {
        message: 'The model `gpt-4o-mini` does not exist or you do not have access to it.',
        type: 'invalid_request_error',
        param: null,
        code: 'model_not_found',
      },
    ],
    [408, 'APIError', { message: 'Request timed out.', type: 'invalid_request_error', param: null, code: 'request_timeout' }],
    [
      409,
      'ConflictError',
      {
        message: 'The request conflicts with another request in progress. Please retry.',
        type: 'invalid_request_error',
        param: null,
        code: 'conflict',
      },
    ],
    [
      422,
      'UnprocessableEntityError',
      {
        message: 'The request was well-formed but could not be processed.',
        type: 'invalid_request_error',
        param: null,
        code: 'unprocessable_entity',
      },
    ],
    [429, 'RateLimitError', { message: 'Rate limit reached for requests.', type: 'requests', param: null, code: 'rate_limit_exceeded' }],
    [
      500,
      'InternalServerError',
      {
        message: 'The server had an error while processing your request. Sorry about that!',
        type: 'server_error',
        param: null,
        code: null,
      },
    ],
    [502, 'InternalServerError', { message: 'Bad gateway.', type: 'server_error', param: null, code: 'bad_gateway' }],
    [
      503,
      'InternalServerError',
      {
        message: 'The engine is currently overloaded, please try again later.',
        type: 'server_error',
        param: null,
        code: 'service_unavailable',
      },
    ],
    [
      504,
      'InternalServerError',
      { message: 'The server timed out while processing your request.', type: 'server_error', param: null, code: 'gateway_timeout' },
    ],
  ])('%i: OpenAI body %#, which the SDK raises as its error class with that message', async (status, errorClass, error) => {
    await setMode(mode.httpError({ status }));
    const raw = await models();
    expect(raw.status).toBe(status);
    expect(await raw.json()).toEqual({ error });
    const client = new OpenAI({ baseURL: `${fakes.fakes.model.url}/v1`, apiKey: 'k', maxRetries: 0 });
    const thrown = (await client.models.list().catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(thrown.constructor.name).toBe(errorClass);
    expect(thrown.status).toBe(status);
    expect(thrown.message).toBe(`${status} ${error.message}`);
  });

  it("529 is Anthropic's overloaded_error body, which the openai SDK treats as a retryable server error", async () => {
    await setMode(mode.httpError({ status: 529, when: { first: 1 }, retryAfter: 0.01 }));
    const raw = await models();
    expect(raw.status).toBe(529);
    expect(await raw.json()).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    await setMode(mode.httpError({ status: 529, when: { first: 1 }, retryAfter: 0.01 }));
    const client = new OpenAI({ baseURL: `${fakes.fakes.model.url}/v1`, apiKey: 'k', maxRetries: 1 });
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    expect(completion.choices[0].finish_reason).toBe('stop');
  });
});

describe('retry hints', () => {
  it('retryHint "retry-after-ms" sends only retry-after-ms, and the SDK waits that long before its retry', async () => {
    await setMode(mode.rateLimit({ retryAfter: 1.2, retryHint: 'retry-after-ms', when: { first: 1 } }));
    const raw = await models();
    expect(raw.headers.get('retry-after-ms')).toBe('1200');
    expect(raw.headers.get('retry-after')).toBeNull();
    expect((await raw.json()).error.message).toBe('Rate limit reached for requests. Please try again in 1.2s.');

    await setMode(mode.rateLimit({ retryAfter: 1.2, retryHint: 'retry-after-ms', when: { first: 1 } }));
    const since = (await control(fakes, 'GET', '/fakes/model/stats')).body.requests;
    const client = new OpenAI({ baseURL: `${fakes.fakes.model.url}/v1`, apiKey: 'k', maxRetries: 1 });
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    const entries = (await control(fakes, 'GET', `/fakes/model/log?since=${since}`)).body.entries;
    expect(entries.map((e: { status: number }) => e.status)).toEqual([429, 200]);
    // The retry arrived no sooner than the hint said (the fake's own arrival times).
    expect(entries[1].t_ms - entries[0].t_ms).toBeGreaterThanOrEqual(1200);
  });

  it('retryHint "retry-after" sends whole seconds only; "body" sends no header and puts the wait in the message only', async () => {
    await setMode(mode.httpError({ status: 503, retryAfter: 1.5, retryHint: 'retry-after' }));
    const seconds = await models();
    expect([seconds.headers.get('retry-after'), seconds.headers.get('retry-after-ms')]).toEqual(['2', null]);

    await setMode(mode.httpError({ status: 503, retryAfter: 1.5, retryHint: 'body' }));
    const body = await models();
    expect([body.headers.get('retry-after'), body.headers.get('retry-after-ms')]).toEqual([null, null]);
    expect((await body.json()).error.message).toBe('The engine is currently overloaded, please try again later. Please try again in 1.5s.');
  });
});
