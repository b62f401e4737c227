import { dataset, defineScenario, fakes, ragAnswer, toxic } from 'shakedown';

// SHAKEDOWN_TWIN=careless runs the careless twin (MODEL_TIMEOUT_MS=0: no timeout on the model call) under the
// same load, fault and SLOs; careful (the default) gives the model call a 2 s budget.
const twin = process.env.SHAKEDOWN_TWIN || 'careful';
if (twin !== 'careful' && twin !== 'careless') throw new Error(`SHAKEDOWN_TWIN must be careful or careless, got '${twin}'`);
const knobs = { MODEL_TIMEOUT_MS: twin === 'careful' ? '2000' : '0' };

export default defineScenario({
  name: 'model-hang',
  description: `The model accepts calls and never answers for 12 s; the service gives up within its budget (504) instead of hanging (${twin}).`,
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
  load: {
    executor: 'constant-arrival-rate',
    rate: 12,
    duration: '24s',
    warmup: '2s',
    timeout: '4s',
    connections: 64,
    requests: dataset.ask('/ask'),
  },
  faults: [{ on: 'model', at: '6s', for: '12s', fault: toxic.timeout({ timeout: 0 }) }],
  score: ragAnswer(),
  slos: {
    baseline: { p95_ms: '< 500', error_rate: '< 1%' },
    fault: { timeout_rate: '< 1%', p99_ms: '< 3000' },
    recovery: { recovery_s: '< 5', error_rate: '< 1%' },
  },
});
