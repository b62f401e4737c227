import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mode } from '../../fakes/index.ts';
import { type RunningFakes, fixtureConfig, promptOf, startFakes } from './fakes-fixture.ts';

const prompt = promptOf(
  ['[doc-001] Returns are accepted within 14 days of delivery. Items must be unused.', '[doc-002] Express shipping costs $12.50.'],
  'How many days after delivery are returns accepted?',
);
const expected = 'Returns are accepted within 14 days of delivery. [doc-001]';

/** Parses an SSE body into `{event, data}` pairs. */
function parseSse(text: string): Array<{ event: string; data: any }> {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const lines = block.split('\n');
      const event = lines.find((l) => l.startsWith('event: '))?.slice(7) ?? '';
      const data = lines.find((l) => l.startsWith('data: '))?.slice(6) ?? '';
      return { event, data: JSON.parse(data) };
    });
}

describe('model fake: POST /v1/responses on the wire', () => {
  let fakes: RunningFakes;
  const post = (body: unknown) =>
    fetch(`${fakes.fakes.model.url}/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  beforeAll(async () => {
    fakes = await startFakes(fixtureConfig());
  });
  afterAll(() => fakes?.close());
  afterEach(() => fakes.fakes.model.runtime.clearModes());

  it('answers a plain request with a completed response object holding one assistant message and usage', async () => {
    const response = await post({
      model: 'gpt-4o-mini',
      instructions: 'Answer from context.',
      input: [{ role: 'user', content: [{ type: 'input_text', text: prompt }] }],
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as any;
    expect(body).toMatchObject({
      id: expect.stringMatching(/^resp_/),
      object: 'response',
      status: 'completed',
      error: null,
      incomplete_details: null,
      model: 'gpt-4o-mini',
      output: [
        {
          type: 'message',
          id: expect.stringMatching(/^msg_/),
          status: 'completed',
          role: 'assistant',
          content: [{ type: 'output_text', text: expected, annotations: [] }],
        },
      ],
      usage: { output_tokens: 9, input_tokens_details: { cached_tokens: 0 }, output_tokens_details: { reasoning_tokens: 0 } },
    });
    expect(body.usage.total_tokens).toBe(body.usage.input_tokens + body.usage.output_tokens);
  });

  it('accepts a plain string input', async () => {
    const body = (await (await post({ model: 'm', input: prompt })).json()) as any;
    expect(body.output[0].content[0].text).toBe(expected);
  });

  it('streams the documented event sequence with increasing sequence numbers and no [DONE] line', async () => {
    const response = await post({ model: 'gpt-4o-mini', input: prompt, stream: true });
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const text = await response.text();
    expect(text).not.toContain('[DONE]');
    const events = parseSse(text);
    const deltas = events.filter((e) => e.event === 'response.output_text.delta');
    expect(events.map((e) => e.event)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      ...deltas.map(() => 'response.output_text.delta'),
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.every((e) => e.data.type === e.event)).toBe(true);
    expect(events.map((e) => e.data.sequence_number)).toEqual(events.map((_, i) => i));
    expect(deltas.length).toBe(3);
    expect(deltas.map((e) => e.data.delta).join('')).toBe(expected);
    expect(events[0].data.response).toMatchObject({ status: 'in_progress', output: [], usage: null });
    expect(events.at(-1)?.data.response).toMatchObject({ status: 'completed', output: [{ content: [{ text: expected }] }] });
  });

  it('cuts at max_output_tokens words: status incomplete with reason max_output_tokens, plain and streamed', async () => {
    const plain = (await (await post({ model: 'm', input: prompt, max_output_tokens: 4 })).json()) as any;
    expect(plain).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } });
    expect(plain.output[0].content[0].text).toBe('Returns are accepted within');
    const events = parseSse(await (await post({ model: 'm', input: prompt, max_output_tokens: 4, stream: true })).text());
    expect(events.at(-1)).toMatchObject({
      event: 'response.incomplete',
      data: { response: { incomplete_details: { reason: 'max_output_tokens' } } },
    });
  });

  it('applies http_error and stream_cut modes: a 429 in the provider shape, a stream ended after N deltas without response.completed', async () => {
    fakes.fakes.model.runtime.setMode('rl', mode.httpError({ rate: 1, status: 429 }).mode);
    const limited = await post({ model: 'm', input: prompt });
    expect(limited.status).toBe(429);
    expect(await limited.json()).toEqual({
      error: { message: 'Rate limit reached for requests.', type: 'requests', param: null, code: 'rate_limit_exceeded' },
    });
    fakes.fakes.model.runtime.clearModes();

    fakes.fakes.model.runtime.setMode('cut', { kind: 'stream_cut', rate: 1, after_chunks: 1 });
    const events = parseSse(await (await post({ model: 'm', input: prompt, stream: true })).text());
    expect(events.map((e) => e.event)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
    ]);
  });

  it('answers a bad body with a provider-shaped 400', async () => {
    const noInput = await post({ model: 'm' });
    expect(noInput.status).toBe(400);
    expect(await noInput.json()).toEqual({
      error: {
        message: "Missing required parameter: 'input'.",
        type: 'invalid_request_error',
        param: 'input',
        code: 'missing_required_parameter',
      },
    });
    const badItem = await post({ model: 'm', input: [{ role: 'user', content: 42 }] });
    expect(badItem.status).toBe(400);
  });
});
