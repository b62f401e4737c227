import OpenAI from 'openai';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeRuntime, inventoryHandlers, mode, modelHandlers } from '../../fakes/index.ts';
import { FIXTURE_INVENTORY } from './fakes-fixture.ts';

describe('the same handlers under msw setupServer', () => {
  const runtime = createFakeRuntime({ name: 'model', kind: 'model', seed: 3 });
  const server = setupServer(
    ...modelHandlers({ chunk_delay_ms: 0 }, { runtime, baseUrl: 'https://api.openai.test' }),
    ...inventoryHandlers({ inventory: FIXTURE_INVENTORY }, { baseUrl: 'https://inventory.test' }),
  );
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterAll(() => server.close());

  it('answers the openai SDK in-process, and switches to errors when a mode is set on the runtime', async () => {
    const client = new OpenAI({ baseURL: 'https://api.openai.test/v1', apiKey: 'k', maxRetries: 0 });
    const messages = [{ role: 'user' as const, content: '[doc-1] Tents ship in 2 days.\nQuestion: When do tents ship?' }];
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    expect(completion.choices[0].message.content).toBe('Tents ship in 2 days. [doc-1]');

    runtime.setMode('down', mode.httpError({ rate: 1, status: 503 }).mode);
    const error = await client.chat.completions.create({ model: 'gpt-4o-mini', messages }).catch((e: unknown) => e);
    runtime.clearModes();
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error).toMatchObject({ status: 503, message: '503 The engine is currently overloaded, please try again later.' });
  });

  it('serves inventory lookups in-process', async () => {
    const product = (await (await fetch('https://inventory.test/v1/products/SKU-1002')).json()) as any;
    expect(product).toMatchObject({ sku: 'SKU-1002', price: 349 });
  });
});
