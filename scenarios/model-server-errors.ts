import { dataset, defineScenario, fakes, mode, ragAnswer } from 'shakedown';

// SHAKEDOWN_TWIN=careless runs the careless twin (FALLBACK_MODE=empty: the error swallowed into a 200 with an
// empty answer) under the same load, fault and SLOs; careful (the default) answers an honest 503.
const twin = process.env.SHAKEDOWN_TWIN || 'careful';
if (twin !== 'careful' && twin !== 'careless') throw new Error(`SHAKEDOWN_TWIN must be careful or careless, got '${twin}'`);
const knobs = { FALLBACK_MODE: twin === 'careful' ? 'error' : 'empty' };

export default defineScenario({
  name: 'model-server-errors',
  description: `The model answers every call with HTTP 500 for 8 s; the service reports the failure fast and never passes an empty answer off as one (${twin}).`,
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
  load: { executor: 'constant-arrival-rate', rate: 12, duration: '22s', warmup: '2s', requests: dataset.ask('/ask') },
  faults: [{ on: 'model', at: '6s', for: '8s', fault: mode.httpError({ status: 500 }) }],
  score: ragAnswer(),
  slos: {
    baseline: { p95_ms: '< 500', error_rate: '< 1%' },
    fault: { empty_rate: '< 1%', p99_ms: '< 3000' },
    recovery: { recovery_s: '< 5', error_rate: '< 1%' },
  },
});
