import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningFakes, fixtureConfig, promptOf, startFakes } from './fakes-fixture.ts';

const context = [
  '[doc-001] Returns are accepted within 14 days of delivery. Items must be unused.',
  '[doc-002] Express shipping costs $12.50 and takes 1 business day.',
];
const question = 'How many days after delivery are returns accepted?';
const expected =
  'Returns are accepted within 14 days of delivery. [doc-001] Express shipping costs $12.50 and takes 1 business day. [doc-002]';

describe('model fake through the official openai SDK', () => {
  let fakes: RunningFakes;
  let client: OpenAI;
  beforeAll(async () => {
    fakes = await startFakes(fixtureConfig());
    client = new OpenAI({ baseURL: `${fakes.fakes.model.url}/v1`, apiKey: 'test-key', maxRetries: 0 });
  });
  afterAll(() => fakes?.close());

  it('answers a plain completion extractively, citing the document ids, with usage', async () => {
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'You answer from context.' },
        { role: 'user', content: promptOf(context, question) },
      ],
    });
    expect(completion.object).toBe('chat.completion');
    expect(completion.choices[0].message).toMatchObject({ role: 'assistant', content: expected });
    expect(completion.choices[0].finish_reason).toBe('stop');
    expect(completion.usage?.completion_tokens).toBeGreaterThan(0);
    expect(completion.usage?.total_tokens).toBe((completion.usage?.prompt_tokens ?? 0) + (completion.usage?.completion_tokens ?? 0));
  });

  it('streams a role delta, several content deltas, a stop chunk and a usage chunk that add up to the plain answer', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: promptOf(context, question) }],
    });
    const deltas: string[] = [];
    const finishReasons: Array<string | null> = [];
    let role: string | undefined;
    let usage: unknown = null;
    for await (const chunk of stream) {
      expect(chunk.object).toBe('chat.completion.chunk');
      if (chunk.usage) usage = chunk.usage;
      const choice = chunk.choices[0];
      if (!choice) continue;
      role ??= choice.delta.role;
      if (choice.delta.content) deltas.push(choice.delta.content);
      finishReasons.push(choice.finish_reason);
    }
    expect(role).toBe('assistant');
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join('')).toBe(expected);
    expect(finishReasons.at(-1)).toBe('stop');
    expect(finishReasons.slice(0, -1).every((r) => r === null)).toBe(true);
    expect(usage).toMatchObject({ completion_tokens: expect.any(Number), prompt_tokens: expect.any(Number) });
  });

  it('cuts the answer at max_tokens words with finish_reason "length"', async () => {
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      max_tokens: 4,
      messages: [{ role: 'user', content: promptOf(context, question) }],
    });
    expect(completion.choices[0].message.content).toBe('Returns are accepted within');
    expect(completion.choices[0].finish_reason).toBe('length');
  });

  it('returns deterministic unit-length embeddings in the SDK default base64 encoding and as floats', async () => {
    const base64 = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['return policy', 'express shipping'] });
    const floats = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'return policy', encoding_format: 'float' });
    expect(base64.data).toHaveLength(2);
    const vector = Array.from(base64.data[0].embedding);
    expect(vector).toHaveLength(64);
    expect(Math.hypot(...vector)).toBeCloseTo(1, 5);
    expect(floats.data[0].embedding.map((v) => Math.fround(v))).toEqual(vector);
  });

  it('lists the configured models', async () => {
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(['gpt-4o-mini', 'text-embedding-3-small']);
  });

  it('flushes each SSE event as it is produced, so the first content arrives long before the stream ends', async () => {
    const slow = await startFakes({ fakes: { model: { kind: 'model', options: { chunk_delay_ms: 60, latency_ms: 150 } } } });
    try {
      const slowClient = new OpenAI({ baseURL: `${slow.fakes.model.url}/v1`, apiKey: 'k', maxRetries: 0 });
      const started = performance.now();
      const stream = await slowClient.chat.completions.create({
        model: 'm',
        stream: true,
        messages: [{ role: 'user', content: promptOf(context, question) }],
      });
      const arrivals: number[] = [];
      for await (const chunk of stream) if (chunk.choices[0]?.delta.content) arrivals.push(performance.now() - started);
      const total = performance.now() - started;
      expect(arrivals[0]).toBeGreaterThanOrEqual(150);
      expect(arrivals.length).toBeGreaterThan(5);
      expect(total - arrivals[0]).toBeGreaterThan(60 * (arrivals.length - 1) * 0.8);
      expect(arrivals[1] - arrivals[0]).toBeGreaterThanOrEqual(40);
    } finally {
      await slow.close();
    }
  });
});
