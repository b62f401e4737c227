import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  dataset,
  defineScenario,
  fakes,
  ragAnswer,
  requests,
  toxic,
  type DependencyAddress,
  type ScenarioOptions,
} from '../../harness/scenario/index.ts';

describe('defineScenario', () => {
  it('returns its argument unchanged', () => {
    const input = {
      name: 'identity',
      system: { url: 'http://127.0.0.1:8080' },
      dependencies: { model: fakes.model() },
      load: { executor: 'constant-vus', vus: 1, duration: '10s', requests: requests.static({ path: '/health' }) },
    } as const satisfies ScenarioOptions;
    expect(defineScenario(input)).toBe(input);
  });

  it("keeps its argument's literal type and types env's argument as the proxied addresses", () => {
    const scenario = defineScenario({
      name: 'typed',
      system: {
        command: ['node', 'server.ts'],
        env: (deps) => {
          expectTypeOf(deps).toEqualTypeOf<Record<string, DependencyAddress>>();
          return { OPENAI_BASE_URL: `${deps.model.url}/v1` };
        },
      },
      dependencies: { model: fakes.model() },
      load: { executor: 'constant-arrival-rate', rate: 5, duration: '10s', requests: dataset.ask('/ask') },
      faults: [{ on: 'model', at: '2s', for: '2s', fault: toxic.down() }],
    });
    expectTypeOf(scenario.name).toEqualTypeOf<'typed'>();
    expectTypeOf(scenario.load.executor).toEqualTypeOf<'constant-arrival-rate'>();
    expectTypeOf(scenario).toExtend<ScenarioOptions>();
    const address: DependencyAddress = { url: 'http://127.0.0.1:4001', host: '127.0.0.1', port: 4001 };
    const env = scenario.system.env as (deps: Record<string, DependencyAddress>) => Record<string, string>;
    expect(env({ model: address })).toEqual({ OPENAI_BASE_URL: 'http://127.0.0.1:4001/v1' });
  });

  it('rejects, at compile time, what the model does not allow', () => {
    expectTypeOf(defineScenario).parameter(0).toExtend<ScenarioOptions>();
    // Each call is type-checked by `npm run typecheck`; the bodies never run.
    const never = () => {
      defineScenario({
        name: 'x',
        system: { url: 'http://a' },
        dependencies: {},
        // @ts-expect-error an executor k6 does not have
        load: { executor: 'constant-rate', rate: 1, duration: '1s', requests: dataset.ask('/ask') },
      });
      defineScenario({
        name: 'x',
        system: { url: 'http://a' },
        dependencies: {},
        // @ts-expect-error vus on an arrival-rate executor
        load: { executor: 'constant-arrival-rate', vus: 1, duration: '1s', requests: dataset.ask('/ask') },
      });
      defineScenario({
        name: 'x',
        system: { url: 'http://a' },
        dependencies: {},
        load: { executor: 'constant-vus', vus: 1, duration: '1s', requests: dataset.ask('/ask') },
        // @ts-expect-error an SLO on a metric that does not exist
        slos: { fault: { p95: '< 300' } },
      });
    };
    expect(typeof never).toBe('function');
  });
});

describe('scenario factories', () => {
  it('builds fakes as plain specs', () => {
    expect(fakes.model()).toEqual({ kind: 'model', options: {} });
    expect(fakes.model({ latency_ms: 50, chunk_delay_ms: 5 })).toEqual({ kind: 'model', options: { latency_ms: 50, chunk_delay_ms: 5 } });
    expect(fakes.retrieval({ corpus: 'v2' })).toEqual({ kind: 'retrieval', options: { corpus: 'v2' } });
    expect(fakes.inventory()).toEqual({ kind: 'inventory', options: {} });
  });

  it('asks dataset questions with the default field and leaves unset options out', () => {
    expect(dataset.ask('/ask')).toStrictEqual({ kind: 'dataset-questions', method: 'POST', path: '/ask', field: 'question' });
    expect(dataset.ask('/ask', { stream: false })).toStrictEqual({
      kind: 'dataset-questions',
      method: 'POST',
      path: '/ask',
      field: 'question',
    });
    expect(dataset.ask('/v1/ask', { field: 'q', categories: ['policy', 'price'], stream: true })).toStrictEqual({
      kind: 'dataset-questions',
      method: 'POST',
      path: '/v1/ask',
      field: 'q',
      categories: ['policy', 'price'],
      stream: true,
    });
  });

  it('builds static requests with GET by default', () => {
    expect(requests.static({ path: '/health' })).toStrictEqual({ kind: 'static', method: 'GET', path: '/health' });
    expect(requests.static({ method: 'POST', path: '/ask', body: { question: 'hi' }, headers: { 'x-test': '1' } })).toStrictEqual({
      kind: 'static',
      method: 'POST',
      path: '/ask',
      body: { question: 'hi' },
      headers: { 'x-test': '1' },
    });
  });

  it('builds the RAG scorer with its defaults', () => {
    expect(ragAnswer()).toEqual({ kind: 'rag-answer', answer: 'answer', citations: 'citations', okRecall: 1 });
    expect(ragAnswer({ answer: 'data.text', citations: 'data.sources', okRecall: 0.5 })).toEqual({
      kind: 'rag-answer',
      answer: 'data.text',
      citations: 'data.sources',
      okRecall: 0.5,
    });
  });
});
