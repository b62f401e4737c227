/**
 * Turns a scenario's request source into an endless, seeded sequence of HTTP requests. Every request carries
 * `x-shakedown-sample-id` and a W3C `traceparent` whose trace id encodes the run seed and the request number,
 * so fakes' logs can be joined to samples when the SUT forwards the header.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ShakedownError } from '../errors.ts';
import { resolveSseRule, type SseRule } from '../load/stream-summary.ts';
import type { RequestSource } from '../scenario/index.ts';
import type { GroundTruth } from '../scoring/rag-answer.ts';
import { createRandom, shuffled } from './random.ts';

const DATASET_QUESTIONS = fileURLToPath(new URL('../../fakes/dataset/questions.json', import.meta.url));

export interface LoadRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  meta: { key: number; question_id?: string; category?: string; request: unknown };
  /** How to read the response when it streams (the source's `sse` over the defaults). */
  sse: SseRule;
}

export interface RequestSequence {
  next(): LoadRequest;
  truth(questionId: string): GroundTruth | undefined;
}

/** Reads the shipped questions. @throws ShakedownError DATASET_INVALID (exit 3) */
export function loadQuestions(file = DATASET_QUESTIONS): GroundTruth[] {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { questions: GroundTruth[] };
    if (!Array.isArray(parsed.questions) || parsed.questions.length === 0) throw new Error('no questions');
    return parsed.questions;
  } catch (error) {
    throw new ShakedownError('DATASET_INVALID', `Cannot read the dataset questions at ${file}: ${(error as Error).message}`);
  }
}

function traceparentFor(seed: number, key: number): string {
  const trace = `${(seed >>> 0).toString(16).padStart(8, '0')}${key.toString(16).padStart(24, '0')}`;
  return `00-${trace}-${key.toString(16).padStart(16, '0')}-01`;
}

/**
 * @throws ShakedownError REQUESTS_EMPTY (exit 2) when `categories` matches no question
 */
export function createRequestSequence(source: RequestSource, seed: number, questions?: GroundTruth[]): RequestSequence {
  let key = 0;
  const sse = resolveSseRule(
    source.sse && { token: source.sse.token, done: source.sse.done, done_data: source.sse.doneData, error: source.sse.error },
  );
  const base = (extra: Record<string, string> = {}) => {
    key++;
    return { key, headers: { 'x-shakedown-sample-id': String(key), traceparent: traceparentFor(seed, key), ...extra } };
  };
  if (source.kind === 'static') {
    const body = source.body === undefined ? undefined : typeof source.body === 'string' ? source.body : JSON.stringify(source.body);
    return {
      next() {
        const b = base(
          body !== undefined && typeof source.body !== 'string'
            ? { 'content-type': 'application/json', ...source.headers }
            : { ...source.headers },
        );
        return {
          method: source.method,
          path: source.path,
          headers: b.headers,
          body,
          meta: { key: b.key, request: source.body ?? null },
          sse,
        };
      },
      truth: () => undefined,
    };
  }
  const all = questions ?? loadQuestions();
  const pool = source.categories ? all.filter((q) => source.categories!.includes(q.category)) : all;
  if (pool.length === 0) {
    const known = [...new Set(all.map((q) => q.category))].join(', ');
    throw new ShakedownError('REQUESTS_EMPTY', `load.requests.categories matches no dataset question; categories are: ${known}`, {
      exitCode: 2,
    });
  }
  const random = createRandom(seed ^ 0x5eed);
  let order = shuffled(pool, random);
  let index = 0;
  const byId = new Map(all.map((q) => [q.id, q]));
  return {
    next() {
      if (index >= order.length) {
        order = shuffled(pool, random);
        index = 0;
      }
      const q = order[index++];
      const request: Record<string, unknown> = { [source.field]: q.question, ...(source.stream ? { stream: true } : {}) };
      const b = base({ 'content-type': 'application/json' });
      return {
        method: 'POST',
        path: source.path,
        headers: b.headers,
        body: JSON.stringify(request),
        meta: { key: b.key, question_id: q.id, category: q.category, request },
        sse,
      };
    },
    truth: (id) => byId.get(id),
  };
}
