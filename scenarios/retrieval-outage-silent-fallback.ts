import { dataset, defineScenario, fakes, ragAnswer, toxic } from 'shakedown';

// SHAKEDOWN_TWIN=careless runs the careless twin (FALLBACK_MODE=silent: a canned text with fallback: false)
// under the same load, fault and SLOs; careful (the default) answers an honest 503.
const twin = process.env.SHAKEDOWN_TWIN || 'careful';
if (twin !== 'careful' && twin !== 'careless') throw new Error(`SHAKEDOWN_TWIN must be careful or careless, got '${twin}'`);
const knobs = { FALLBACK_MODE: twin === 'careful' ? 'error' : 'silent' };

export default defineScenario({
  name: 'retrieval-outage-silent-fallback',
  description: `Retrieval refuses connections for 8 s; the service must not pass a canned text off as an answer (${twin}).`,
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
  faults: [{ on: 'retrieval', at: '6s', for: '8s', fault: toxic.down() }],
  score: ragAnswer(),
  slos: {
    baseline: { p95_ms: '< 500', error_rate: '< 1%' },
    fault: { fallback_rate: '< 1%', p99_ms: '< 1000' },
    recovery: { recovery_s: '< 5', error_rate: '< 1%' },
  },
});
