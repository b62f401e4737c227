import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CORPUS_PATH, DEFAULT_INVENTORY_PATH, type Product, loadInventory } from '../../fakes/index.ts';
import { type RunningFakes, startFakes } from './fakes-fixture.ts';

const QUESTIONS_PATH = DEFAULT_CORPUS_PATH.replace(/corpus\.json$/, 'questions.json');
const shipped = existsSync(DEFAULT_CORPUS_PATH) && existsSync(DEFAULT_INVENTORY_PATH) && existsSync(QUESTIONS_PATH);

interface Question {
  id: string;
  question: string;
  facts: string[];
  stale_facts: string[];
  skus?: string[];
}

/** The SUT's product line format (fakes/dataset/README.md). */
const productLine = (p: Product) => `[${p.sku}] ${p.name} price ${p.price.toFixed(2)} USD, stock ${p.stock}`;

describe.skipIf(!shipped)('shipped dataset through retrieval and model fakes', () => {
  let fakes: RunningFakes;
  beforeAll(async () => {
    fakes = await startFakes({ fakes: { model: { kind: 'model', options: { chunk_delay_ms: 0 } }, retrieval: { kind: 'retrieval' } } });
  });
  afterAll(() => fakes?.close());

  async function answer(q: Question, products: Product[]): Promise<string> {
    const search = await fetch(`${fakes.fakes.retrieval.url}/search`, {
      method: 'POST',
      body: JSON.stringify({ query: q.question, k: 4 }),
    });
    const { results } = (await search.json()) as { results: Array<{ id: string; text: string }> };
    const lines = results.map((r) => `[${r.id}] ${r.text}`);
    for (const sku of q.skus ?? []) lines.push(productLine(products.find((p) => p.sku === sku) as Product));
    const body = { model: 'm', messages: [{ role: 'user', content: `${lines.join('\n')}\nQuestion: ${q.question}` }] };
    const completion = await fetch(`${fakes.fakes.model.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify(body) });
    return ((await completion.json()) as { choices: Array<{ message: { content: string } }> }).choices[0].message.content;
  }

  // Stale facts are the scorer's concern (a current answer may legitimately quote the same string from another
  // document), so only the current facts are checked here.
  it('answers every shipped question with all of its current facts', async () => {
    const questions = (JSON.parse(readFileSync(QUESTIONS_PATH, 'utf8')) as { questions: Question[] }).questions;
    const products = loadInventory();
    const misses: string[] = [];
    for (const q of questions) {
      const text = (await answer(q, products)).toLowerCase();
      const missing = q.facts.filter((f) => !text.includes(f.toLowerCase()));
      if (missing.length > 0) misses.push(`${q.id}: missing ${JSON.stringify(missing)}`);
    }
    expect(misses).toEqual([]);
  });
});
