import { dataset, defineScenario, fakes } from 'shakedown';

// bench/example-headroom.ts: the example service (examples/rag-service) with its three fakes behind Toxiproxy, no
// fault, BENCH_RATE req/s for BENCH_SECONDS; what results.json health says at that rate.
export default defineScenario({
  name: 'bench-example-headroom',
  system: {
    command: ['node', 'examples/rag-service/server.ts'],
    env: ({ model, retrieval, api }) => ({ OPENAI_BASE_URL: `${model.url}/v1`, RETRIEVAL_URL: retrieval.url, INVENTORY_URL: api.url }),
    ready: { path: '/health', timeout: '15s' },
  },
  dependencies: { model: fakes.model(), retrieval: fakes.retrieval(), api: fakes.inventory() },
  load: {
    executor: 'constant-arrival-rate',
    rate: Number(process.env.BENCH_RATE ?? 100),
    duration: Number(process.env.BENCH_SECONDS ?? 4) * 1000,
    warmup: '1s',
    requests: dataset.ask('/ask'),
  },
});
