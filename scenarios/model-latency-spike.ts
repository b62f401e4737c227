import { dataset, defineScenario, fakes, ragAnswer, toxic } from 'shakedown';

export default defineScenario({
  name: 'model-latency-spike',
  description: 'The model slows to about 1 s for 15 s; answers stay correct, nothing fails, and p95 is back within 5 s.',
  system: {
    command: ['node', 'examples/rag-service/server.ts'],
    env: ({ model, retrieval, api }) => ({ OPENAI_BASE_URL: `${model.url}/v1`, RETRIEVAL_URL: retrieval.url, INVENTORY_URL: api.url }),
    ready: { path: '/health', timeout: '15s' },
  },
  dependencies: { model: fakes.model(), retrieval: fakes.retrieval(), api: fakes.inventory() },
  load: { executor: 'constant-arrival-rate', rate: 20, duration: '45s', requests: dataset.ask('/ask') },
  faults: [{ on: 'model', at: '15s', for: '15s', fault: toxic.latency({ latency: 1000, jitter: 100 }) }],
  score: ragAnswer({ answer: 'answer', citations: 'citations' }),
  slos: {
    baseline: { p95_ms: '< 500', error_rate: '< 1%' },
    fault: { error_rate: '< 1%', quality: '>= 0.8' },
    recovery: { recovery_s: '< 5', p95_ms: '< 500' },
  },
});
