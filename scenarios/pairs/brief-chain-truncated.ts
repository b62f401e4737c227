import { customScorer, defineScenario, fakes, mode, requests } from 'shakedown';

// A LangChain.js chain (examples/pairs/brief-chain) whose model cuts its answers (finish_reason "length").
// SHAKEDOWN_TWIN=careless runs it with ACCEPT_TRUNCATED=yes (the cut answer goes out as a complete brief);
// careful (the default) refuses it with 503.
const twin = process.env.SHAKEDOWN_TWIN || 'careful';
if (twin !== 'careful' && twin !== 'careless') throw new Error(`SHAKEDOWN_TWIN must be careful or careless, got '${twin}'`);

const REPORT =
  'Quarterly sales rose 12 percent, driven by the new subscription plans. Churn fell to 3 percent after the support team moved to 24 hour coverage. ' +
  'Hardware revenue dropped because two suppliers delayed shipments. The board approved hiring 40 engineers for the platform group next year.';

export default defineScenario({
  name: 'brief-chain-truncated',
  description: `The model cuts every answer to half its words with finish_reason "length" for 8 s; the chain refuses a cut brief (503) instead of passing it on as complete (${twin}).`,
  system: {
    command: ['node', 'examples/pairs/brief-chain/server.ts'],
    env: ({ model }) => ({ LLM_URL: `${model.url}/v1`, ACCEPT_TRUNCATED: twin === 'careful' ? 'no' : 'yes' }),
  },
  dependencies: { model: fakes.model() },
  load: {
    executor: 'constant-arrival-rate',
    rate: 10,
    duration: '20s',
    warmup: '2s',
    timeout: '4s',
    connections: 64,
    requests: requests.static({ method: 'POST', path: '/brief', body: { text: REPORT } }),
  },
  faults: [{ on: 'model', at: '6s', for: '8s', fault: mode.truncate() }],
  // A brief must end a sentence: one that stops mid-sentence was cut and presented as complete.
  score: customScorer(function completeBrief(sample) {
    const brief = (sample.json as { brief?: unknown } | undefined)?.brief;
    if (typeof brief !== 'string' || brief.trim() === '') return { outcome: 'empty', quality: 0 };
    if (!/[.!?]$/.test(brief.trim())) return { outcome: 'partial', quality: 0.5, reasons: ['cut mid-sentence'] };
    return { outcome: 'ok', quality: 1 };
  }),
  recovery: { latencySlackMs: 1000 },
  slos: {
    baseline: { p95_ms: '< 1000', error_rate: '< 1%', ok_rate: '> 99%' },
    // An answer cut short (finish_reason "length") but presented as complete.
    fault: { truncated_rate: '< 1%' },
    recovery: { recovery_s: '< 5' },
  },
});
