/** The reference SUT against the real fakes (in this process) and the shipped dataset. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakes, type RunningFakes } from '../../fakes/index.ts';
import { readSse, startRagService, type RagServiceProcess } from './rag-service-process.ts';

interface DatasetQuestion {
  id: string;
  question: string;
  category: string;
  facts: string[];
  relevant_ids: string[];
  skus?: string[];
}

const dataset = JSON.parse(readFileSync(new URL('../../fakes/dataset/questions.json', import.meta.url), 'utf8')) as {
  questions: DatasetQuestion[];
};
/** At most this many questions per category, so the file stays fast as the dataset grows. */
const PER_CATEGORY = 5;
const questions = dataset.questions.filter(
  (q, index, all) => all.slice(0, index).filter((other) => other.category === q.category).length < PER_CATEGORY,
);

let fakes: RunningFakes;
let rag: RagServiceProcess;

beforeAll(async () => {
  fakes = await startFakes({
    seed: 42,
    fakes: { model: { kind: 'model' }, retrieval: { kind: 'retrieval' }, api: { kind: 'inventory' } },
  });
  rag = await startRagService({
    OPENAI_BASE_URL: `${fakes.fakes.model.url}/v1`,
    RETRIEVAL_URL: fakes.fakes.retrieval.url,
    INVENTORY_URL: fakes.fakes.api.url,
    STREAM_IDLE_TIMEOUT_MS: '500',
  });
});
afterAll(async () => {
  await rag?.stop();
  await fakes?.close();
});

const ask = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${rag.url}/ask`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('rag-service against the fakes', () => {
  it.each(questions.map((q) => [q.id, q] as const))('answers %s with its current facts, citing what it used', async (_id, q) => {
    const response = await ask({ question: q.question });
    expect(response.status).toBe(200);
    const body: any = await response.json();
    for (const fact of q.facts) expect(body.answer.toLowerCase()).toContain(fact.toLowerCase());
    expect(body.fallback).toBe(false);
    expect(body.citations.length).toBeGreaterThan(0);
    for (const id of body.citations) expect(body.sources).toContain(id);
    for (const sku of q.skus ?? []) expect(body.citations).toContain(sku);
  });

  it('streams an answer from the model fake', async () => {
    const q = questions[0];
    const events = await readSse(await ask({ question: q.question, stream: true }));
    const answer = events
      .filter((e) => 'delta' in e)
      .map((e) => e.delta)
      .join('');
    for (const fact of q.facts) expect(answer.toLowerCase()).toContain(fact.toLowerCase());
    expect(events.at(-1)).toMatchObject({ done: true, fallback: false, cached: false });
  });

  it('forwards the trace id so every fake logs it', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const response = await ask(
      { question: questions.find((q) => q.skus)!.question },
      { traceparent: `00-${traceId}-b7ad6b7169203331-01`, 'x-shakedown-sample-id': 's-1' },
    );
    expect(response.status).toBe(200);
    for (const name of ['model', 'retrieval', 'api']) {
      const { entries } = fakes.fakes[name].runtime.log(0);
      expect(entries.some((entry) => entry.trace_id === traceId)).toBe(true);
    }
  });

  it('answers 503 when the retrieval fake is in an http_error mode', async () => {
    fakes.fakes.retrieval.runtime.setMode('outage', { kind: 'http_error', rate: 1, status: 503 });
    try {
      const response = await ask({ question: questions[0].question });
      expect(response.status).toBe(503);
      expect(((await response.json()) as any).error.dependency).toBe('retrieval');
    } finally {
      fakes.fakes.retrieval.runtime.deleteMode('outage');
    }
  });

  it('ends the stream with an error event when the model fake stalls', async () => {
    fakes.fakes.model.runtime.setMode('stall', { kind: 'stream_stall', rate: 1, after_chunks: 2 });
    try {
      const events = await readSse(await ask({ question: questions[0].question, stream: true }));
      expect(events.at(-1)).toEqual({
        error: { message: 'model stream stalled: no chunk for 500 ms', dependency: 'model' },
      });
    } finally {
      fakes.fakes.model.runtime.deleteMode('stall');
    }
  });
});
