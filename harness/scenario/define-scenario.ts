import type { CustomFakeOptions, FakeExtensionOptions, QuotaOptions } from '../../contract/index.ts';
import type { DependencyMetricName, MetricName } from './metrics.ts';
import type { CustomScoreSpec, FakeSpec, RequestSource, ScenarioOptions, ScoreSpec, SseRuleOptions } from './types.ts';

/**
 * Declares a scenario. An identity function: it exists so editors check the object's types (like vitest's
 * `defineConfig`). Validation happens when the harness loads the file.
 */
/** SLO keys checked one by one: `<dependency>.<metric>` keys make the SLO type open, so a typo would pass otherwise. */
type CheckedSlos<S> = {
  [Sel in keyof S]: { [K in keyof S[Sel]]: K extends MetricName | `${string}.${DependencyMetricName}` ? S[Sel][K] : never };
};

export function defineScenario<const T extends ScenarioOptions>(scenario: T & { slos?: CheckedSlos<T['slos']> }): T {
  return scenario;
}

/** Built-in fakes, each one dependency of the SUT served on its own port behind a Toxiproxy proxy. */
export const fakes = {
  /**
   * OpenAI-compatible chat completions (plain and streaming), embeddings and models, with extractive answers;
   * `quota` adds per-key rate limits, `fixtures` and `handlers` the user's own answers (README "Fakes").
   */
  model: (options: { latency_ms?: number; chunk_delay_ms?: number; quota?: QuotaOptions } & FakeExtensionOptions = {}): FakeSpec => ({
    kind: 'model',
    options,
  }),
  /** `POST /search {query, k}` over the shipped versioned corpus (minisearch ranking). */
  retrieval: (options: { corpus?: string } & FakeExtensionOptions = {}): FakeSpec => ({ kind: 'retrieval', options }),
  /** An inventory REST API (`GET /v1/products?q=`, `GET /v1/products/:sku`) for live price and stock. */
  inventory: (options: FakeExtensionOptions = {}): FakeSpec => ({ kind: 'inventory', options }),
  /**
   * A dependency of your own (any HTTP API), served from your msw handlers: `handlers` is a module (path from the
   * current directory) whose default export is an array of msw handlers; `fixtures` answer before them. Modes
   * `http_error` and `error_body` and every toxic work on it as on the built-in fakes.
   */
  custom: (options: CustomFakeOptions): FakeSpec => ({ kind: 'custom', options }),
};

/** Request sources built from the shipped dataset (fakes/dataset). */
export const dataset = {
  /**
   * `POST path` with `{ [field]: question }` for each dataset question, in an order shuffled by the run seed,
   * cycling. Each sample carries its question id, so it is scored against that question's ground truth.
   * `stream: true` adds `"stream": true` to the body; `sse` says how to read a streamed answer (SseRuleOptions).
   */
  ask: (path: string, options: { field?: string; categories?: string[]; stream?: boolean; sse?: SseRuleOptions } = {}): RequestSource => {
    // Unknown or mistyped options pass through, so validation reports them (a typo is never silently dropped).
    const { field, categories, stream, sse, ...unknown } = options;
    return {
      kind: 'dataset-questions',
      method: 'POST',
      path,
      field: field ?? 'question',
      ...(categories !== undefined ? { categories } : {}),
      ...(stream !== undefined && stream !== false ? { stream } : {}),
      ...(sse !== undefined ? { sse } : {}),
      ...unknown,
    } as RequestSource;
  },
};

/** A fixed request repeated: `requests.static({ method: 'GET', path: '/health' })`. */
export const requests = {
  static: (o: {
    method?: string;
    path: string;
    body?: unknown;
    headers?: Record<string, string>;
    sse?: SseRuleOptions;
  }): RequestSource => ({
    kind: 'static',
    method: o.method ?? 'GET',
    path: o.path,
    ...(o.body === undefined ? {} : { body: o.body }),
    ...(o.headers ? { headers: o.headers } : {}),
    ...(o.sse ? { sse: o.sse } : {}),
  }),
};

/**
 * Scores RAG answers against the dataset's ground truth and the fakes' request logs: format (JSON with a string
 * answer and an array of string citations), fallbacks (flagged, canned or repeated), empty answers and
 * refusals, fabricated numbers and ids, citations retrieval did not return, freshness (stale-only facts →
 * `stale`), facts cited to the wrong document, fact recall. Rules in order: README "Scoring".
 */
export function ragAnswer(
  options: { answer?: string; citations?: string; okRecall?: number; fallbackTexts?: string[]; repeatedAnswer?: number } = {},
): ScoreSpec {
  const { answer, citations, okRecall, fallbackTexts, repeatedAnswer, ...unknown } = options;
  // Unknown options pass through, so validation reports a typo (`score.answr is not a known field`).
  return {
    kind: 'rag-answer',
    answer: answer ?? 'answer',
    citations: citations ?? 'citations',
    okRecall: okRecall ?? 1,
    ...(fallbackTexts ? { fallbackTexts } : {}),
    ...(repeatedAnswer !== undefined ? { repeatedAnswer } : {}),
    ...unknown,
  } as ScoreSpec;
}

/**
 * A scorer written as a function, for a service whose responses `ragAnswer()` cannot read. It is called for
 * every sample that got a response (timeouts, connection errors and HTTP errors ≥ 400 are classified by the
 * harness first) and must return `{ outcome, quality, reasons? }`: `outcome` one of OUTCOMES, `quality` in
 * [0, 1]. A return value that breaks these rules, or a throw, leaves that sample unscored and is reported in
 * `health.flags`.
 * @example score: customScorer((sample, truth) => sample.body.includes('42') ? { outcome: 'ok', quality: 1 } : { outcome: 'wrong', quality: 0, reasons: ['no 42'] })
 */
export function customScorer(score: CustomScoreSpec['score'], options: { name?: string } = {}): CustomScoreSpec {
  const { name, ...unknown } = options;
  return { kind: 'custom', name: name ?? ((typeof score === 'function' && score.name) || 'custom'), score, ...unknown } as CustomScoreSpec;
}
