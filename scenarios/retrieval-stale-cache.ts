import { dataset, defineScenario, fakes, mode, ragAnswer } from 'shakedown';

// SHAKEDOWN_TWIN=careless runs the careless twin (CACHE_TTL_MS=600000: answers cached for 10 minutes, never
// invalidated when documents change) under the same load, fault and SLOs; careful (the default) caches nothing.
const twin = process.env.SHAKEDOWN_TWIN || 'careful';
if (twin !== 'careful' && twin !== 'careless') throw new Error(`SHAKEDOWN_TWIN must be careful or careless, got '${twin}'`);
const knobs = { CACHE_TTL_MS: twin === 'careful' ? '0' : '600000' };

export default defineScenario({
  name: 'retrieval-stale-cache',
  description: `Retrieval serves the superseded documents for the first 9 s, then the current ones; afterwards no answer may still quote the old documents (${twin}).`,
  system: {
    command: ['node', 'examples/rag-service/server.ts'],
    env: ({ model, retrieval, api }) => ({
      OPENAI_BASE_URL: `${model.url}/v1`,
      RETRIEVAL_URL: retrieval.url,
      INVENTORY_URL: api.url,
      ...knobs,
    }),
  },
  dependencies: { model: fakes.model(), retrieval: fakes.retrieval(), api: fakes.inventory() },
  // Two categories (54 questions, 50 with a superseded fact) so that recovery asks again what the fault window asked.
  load: {
    executor: 'constant-arrival-rate',
    rate: 12,
    duration: '24s',
    warmup: '2s',
    requests: dataset.ask('/ask', { categories: ['specs', 'shipping'] }),
  },
  faults: [{ on: 'retrieval', at: '0s', for: '9s', fault: mode.stale({ rate: 1 }) }],
  score: ragAnswer(),
  slos: {
    fault: { error_rate: '< 1%' },
    recovery: { stale_rate: '< 1%', error_rate: '< 1%' },
  },
});
