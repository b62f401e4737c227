/**
 * Malformed tool offers and Anthropic Messages bodies (fast-check): the model fake answers 200 or a 4xx in the API's
 * own error shape (OpenAI `{"error":{...}}` on chat and Responses, `{"type":"error","error":{...}}` on
 * `/v1/messages`), never a 500, and keeps serving.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningFakes, startFakes } from '../../fakes/index.ts';

let fakes: RunningFakes;
beforeAll(async () => {
  fakes = await startFakes({ seed: 1, fakes: { model: { kind: 'model', options: { chunk_delay_ms: 0 } } } });
});
afterAll(() => fakes?.close());

const isOpenAIError = (body: any) => typeof body?.error?.message === 'string' && typeof body.error.type === 'string';
const isAnthropicError = (body: any) =>
  body?.type === 'error' && typeof body.error?.type === 'string' && typeof body.error.message === 'string';

const schema = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.record(
    {
      type: fc.constantFrom('object', 'string', 'integer', 'array', ['string', 'null'], 7),
      properties: fc.dictionary(fc.constantFrom('city', 'days', 'tags'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
      required: fc.oneof(fc.constant(['city', 'days']), fc.jsonValue({ maxDepth: 1 })),
      items: fc.jsonValue({ maxDepth: 1 }),
      enum: fc.jsonValue({ maxDepth: 1 }),
    },
    { requiredKeys: [] },
  ),
);
const name = fc.oneof(fc.constant('get_weather'), fc.string({ maxLength: 8 }), fc.integer());
const prompt = fc.oneof(fc.constant('Weather in Paris for 3 days?'), fc.jsonValue({ maxDepth: 2 }));

it('chat completions and Responses: random tools and tool choices get 200 or a 4xx in the OpenAI shape', async () => {
  const chatBody = fc.record(
    {
      model: fc.constant('gpt-4o-mini'),
      messages: fc.constant([{ role: 'user', content: 'Weather in Paris for 3 days?' }]),
      tools: fc.oneof(
        fc.array(
          fc.record({
            type: fc.constantFrom('function', 'custom'),
            function: fc.record({ name, parameters: schema }, { requiredKeys: [] }),
          }),
          { maxLength: 3 },
        ),
        fc.jsonValue({ maxDepth: 2 }),
      ),
      functions: fc.array(fc.record({ name, parameters: schema }, { requiredKeys: [] }), { maxLength: 2 }),
      tool_choice: fc.oneof(fc.constantFrom('auto', 'none', 'required', 'sometimes'), fc.jsonValue({ maxDepth: 2 })),
      stream: fc.boolean(),
    },
    { requiredKeys: ['model', 'messages'] },
  );
  const responsesBody = fc.record(
    {
      model: fc.constant('gpt-4o-mini'),
      input: prompt,
      tools: fc.oneof(
        fc.array(fc.record({ type: fc.constant('function'), name, parameters: schema }, { requiredKeys: [] }), { maxLength: 3 }),
        fc.jsonValue({ maxDepth: 2 }),
      ),
      tool_choice: fc.jsonValue({ maxDepth: 2 }),
    },
    { requiredKeys: ['model'] },
  );
  const request = fc.oneof(
    chatBody.map((b) => ['/v1/chat/completions', b] as const),
    responsesBody.map((b) => ['/v1/responses', b] as const),
  );
  await fc.assert(
    fc.asyncProperty(request, async ([path, body]) => {
      const response = await fetch(`${fakes.fakes.model.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      if (response.status === 200) return;
      expect(response.status, text).toBeGreaterThanOrEqual(400);
      expect(response.status, text).toBeLessThan(500);
      expect(isOpenAIError(JSON.parse(text)), text).toBe(true);
    }),
    { numRuns: 200 },
  );
});

it('/v1/messages: random bodies get 200 or a 4xx in the Anthropic shape, and the fake keeps serving', async () => {
  const message = fc.record(
    { role: fc.oneof(fc.constantFrom('user', 'assistant'), fc.jsonValue({ maxDepth: 0 })), content: prompt },
    { requiredKeys: [] },
  );
  const body = fc.oneof(
    fc.string({ maxLength: 100 }),
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
    fc
      .record(
        {
          model: fc.oneof(fc.constant('claude-haiku-5-5'), fc.jsonValue({ maxDepth: 0 })),
          max_tokens: fc.oneof(fc.integer({ min: -2, max: 300 }), fc.jsonValue({ maxDepth: 0 })),
          messages: fc.oneof(fc.array(message, { maxLength: 3 }), fc.jsonValue({ maxDepth: 1 })),
          system: fc.jsonValue({ maxDepth: 2 }),
          stream: fc.jsonValue({ maxDepth: 0 }),
          tools: fc.oneof(
            fc.array(
              fc.record({ name, input_schema: schema, type: fc.constantFrom('custom', 'web_search_20250305') }, { requiredKeys: [] }),
              { maxLength: 3 },
            ),
            fc.jsonValue({ maxDepth: 2 }),
          ),
          tool_choice: fc.oneof(
            fc.record({ type: fc.constantFrom('auto', 'any', 'tool', 'none', 'some'), name }, { requiredKeys: ['type'] }),
            fc.jsonValue({ maxDepth: 1 }),
          ),
        },
        { requiredKeys: [] },
      )
      .map((v) => JSON.stringify(v)),
  );
  await fc.assert(
    fc.asyncProperty(body, async (text) => {
      const response = await fetch(`${fakes.fakes.model.url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: text,
      });
      const answer = await response.text();
      if (response.status === 200) return;
      expect(response.status, answer).toBeGreaterThanOrEqual(400);
      expect(response.status, answer).toBeLessThan(500);
      expect(isAnthropicError(JSON.parse(answer)), answer).toBe(true);
    }),
    { numRuns: 200 },
  );
  expect((await fetch(`${fakes.fakes.model.url}/v1/models`)).status).toBe(200);
});
