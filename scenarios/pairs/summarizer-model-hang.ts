import { defineScenario, fakes, requests, toxic } from 'shakedown';

// A summarizer (examples/pairs/summarizer) whose model call hangs. SHAKEDOWN_TWIN=careless runs it with
// LLM_TIMEOUT_MS=0 (no timeout: every request hangs with the model); careful (the default) gives the call 2 s
// and answers an honest 504.
const twin = process.env.SHAKEDOWN_TWIN || 'careful';
if (twin !== 'careful' && twin !== 'careless') throw new Error(`SHAKEDOWN_TWIN must be careful or careless, got '${twin}'`);

const ARTICLE =
  'The storm closed the harbour on Monday. Ferries to the islands were cancelled for 36 hours. Shops stayed open. ' +
  'Engineers inspected 4 cranes and found cracks in two of them, so the port authority kept the container terminal shut until Thursday.';

export default defineScenario({
  name: 'summarizer-model-hang',
  description: `The model accepts calls and never answers for 10 s; the summarizer gives up within its budget (504) instead of hanging (${twin}).`,
  system: {
    command: ['node', 'examples/pairs/summarizer/server.ts'],
    env: ({ model }) => ({ LLM_URL: `${model.url}/v1`, LLM_TIMEOUT_MS: twin === 'careful' ? '2000' : '0' }),
  },
  dependencies: { model: fakes.model() },
  load: {
    executor: 'constant-arrival-rate',
    rate: 10,
    duration: '22s',
    warmup: '2s',
    timeout: '4s',
    connections: 64,
    requests: requests.static({ method: 'POST', path: '/summarize', body: { text: ARTICLE } }),
  },
  faults: [{ on: 'model', at: '6s', for: '10s', fault: toxic.timeout({ timeout: 0 }) }],
  // A busy machine (load average 11 on 2 cores) slows every call by a few hundred ms: recovery is judged
  // against the baseline p95 plus 1 s, and requests sent just before the fault's removal was applied count in the
  // recovery phase, so that phase is judged by recovery_s rather than its error rate.
  recovery: { latencySlackMs: 1000 },
  slos: {
    baseline: { p95_ms: '< 1000', error_rate: '< 1%' },
    fault: { timeout_rate: '< 1%', p99_ms: '< 3000' },
    recovery: { recovery_s: '< 5' },
  },
});
