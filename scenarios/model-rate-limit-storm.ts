import { dataset, defineScenario, fakes, mode, ragAnswer } from 'shakedown';

// SHAKEDOWN_TWIN=careless runs the careless twin (MODEL_RETRY_AFTER=ignore, MODEL_MAX_RETRIES=5: retries at once,
// hammering the provider) under the same load, fault and SLOs; careful (the default) passes the service's
// defaults (the SDK waits what retry-after asks, 2 retries within the 5 s budget of MODEL_TIMEOUT_MS).
const twin = process.env.SHAKEDOWN_TWIN || 'careful';
if (twin !== 'careful' && twin !== 'careless') throw new Error(`SHAKEDOWN_TWIN must be careful or careless, got '${twin}'`);
const knobs =
  twin === 'careful' ? { MODEL_RETRY_AFTER: 'honor', MODEL_MAX_RETRIES: '2' } : { MODEL_RETRY_AFTER: 'ignore', MODEL_MAX_RETRIES: '5' };

export default defineScenario({
  name: 'model-rate-limit-storm',
  description: `The model answers every call with 429 and retry-after 2 s for 3 s; a service that waits as asked answers every question, one that retries at once burns its retries inside the window (${twin}).`,
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
    duration: '22s',
    warmup: '2s',
    timeout: '8s',
    connections: 64,
    requests: dataset.ask('/ask'),
  },
  faults: [{ on: 'model', at: '6s', for: '3s', fault: mode.rateLimit({ rate: 1, retryAfter: 2 }) }],
  score: ragAnswer(),
  slos: {
    baseline: { p95_ms: '< 500', error_rate: '< 1%' },
    fault: { error_rate: '< 1%', p99_ms: '< 4800' },
    recovery: { recovery_s: '< 5', error_rate: '< 1%' },
  },
});
