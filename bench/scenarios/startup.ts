import { dataset, defineScenario, fakes } from 'shakedown';

// B7: the smallest full run (all three fakes, the example service, 1 s of load), to time start-up and teardown.
export default defineScenario({
  name: 'bench-startup',
  system: {
    command: ['node', 'examples/rag-service/server.ts'],
    env: ({ model, retrieval, api }) => ({ OPENAI_BASE_URL: `${model.url}/v1`, RETRIEVAL_URL: retrieval.url, INVENTORY_URL: api.url }),
  },
  dependencies: { model: fakes.model(), retrieval: fakes.retrieval(), api: fakes.inventory() },
  load: { executor: 'constant-arrival-rate', rate: 10, duration: '1s', warmup: '0s', requests: dataset.ask('/ask') },
});
