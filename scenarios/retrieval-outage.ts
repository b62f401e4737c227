import { dataset, defineScenario, fakes, ragAnswer, toxic } from 'shakedown';

export default defineScenario({
  name: 'retrieval-outage',
  description: 'Retrieval refuses connections for 15 s; the service fails fast and says it fell back, and recovers at once.',
  system: {
    command: ['node', 'examples/rag-service/server.ts'],
    env: ({ model, retrieval, api }) => ({
      OPENAI_BASE_URL: `${model.url}/v1`,
      RETRIEVAL_URL: retrieval.url,
      INVENTORY_URL: api.url,
      FALLBACK_MODE: 'canned',
    }),
  },
  dependencies: { model: fakes.model(), retrieval: fakes.retrieval(), api: fakes.inventory() },
  load: { executor: 'constant-arrival-rate', rate: 20, duration: '45s', requests: dataset.ask('/ask') },
  faults: [{ on: 'retrieval', at: '15s', for: '15s', fault: toxic.down() }],
  score: ragAnswer(),
  slos: {
    baseline: { p95_ms: '< 500', error_rate: '< 1%' },
    fault: { p95_ms: '< 1000', error_rate: '< 1%' },
    recovery: { recovery_s: '< 5', error_rate: '< 1%' },
  },
});
