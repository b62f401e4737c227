import { dataset, defineScenario, fakes, mode, ragAnswer } from 'shakedown';

export default defineScenario({
  name: 'model-rate-limit',
  description: 'The model answers 429 with retry-after 1 s on 30% of calls for 15 s; the service retries and keeps answering.',
  system: {
    command: ['node', 'examples/rag-service/server.ts'],
    env: ({ model, retrieval, api }) => ({ OPENAI_BASE_URL: `${model.url}/v1`, RETRIEVAL_URL: retrieval.url, INVENTORY_URL: api.url }),
  },
  dependencies: { model: fakes.model(), retrieval: fakes.retrieval(), api: fakes.inventory() },
  load: { executor: 'constant-arrival-rate', rate: 20, duration: '45s', requests: dataset.ask('/ask') },
  faults: [{ on: 'model', at: '15s', for: '15s', fault: mode.rateLimit({ rate: 0.3, retryAfter: 1 }) }],
  score: ragAnswer(),
  slos: {
    baseline: { p95_ms: '< 500', error_rate: '< 1%' },
    fault: { error_rate: '< 5%', p99_ms: '< 4000' },
    recovery: { recovery_s: '< 5' },
  },
});
