import { customScorer, defineScenario, fakes, mode, requests } from 'shakedown';

// A ticket classifier (examples/pairs/classifier) whose model fails with HTTP 500. SHAKEDOWN_TWIN=careless runs
// it with FALLBACK_MODE=silent (the default label goes out as if the model had chosen it); careful (the default)
// marks it `fallback: true`.
const twin = process.env.SHAKEDOWN_TWIN || 'careful';
if (twin !== 'careful' && twin !== 'careless') throw new Error(`SHAKEDOWN_TWIN must be careful or careless, got '${twin}'`);

export default defineScenario({
  name: 'classifier-model-errors',
  description: `The model answers HTTP 500 for 8 s; the classifier marks its default label as a fallback instead of passing it off as the model's choice (${twin}).`,
  system: {
    command: ['node', 'examples/pairs/classifier/server.ts'],
    env: ({ model }) => ({ LLM_URL: `${model.url}/v1`, FALLBACK_MODE: twin === 'careful' ? 'labelled' : 'silent' }),
  },
  dependencies: { model: fakes.model() },
  load: {
    executor: 'constant-arrival-rate',
    rate: 10,
    duration: '20s',
    warmup: '2s',
    timeout: '4s',
    connections: 64,
    requests: requests.static({
      method: 'POST',
      path: '/classify',
      body: { ticket: 'My parcel is late and the shipping tracking page shows nothing.' },
    }),
  },
  faults: [{ on: 'model', at: '6s', for: '8s', fault: mode.httpError({ status: 500 }) }],
  // The model fake picks the label sharing a word with the ticket: "shipping". A labelled fallback is announced;
  // any other label is wrong.
  score: customScorer(function shippingLabel(sample) {
    const body = sample.json as { label?: unknown; fallback?: unknown } | undefined;
    if (body?.fallback === true) return { outcome: 'fallback', quality: 0, reasons: ['labelled fallback'] };
    if (body?.label === 'shipping') return { outcome: 'ok', quality: 1 };
    return { outcome: 'wrong', quality: 0, reasons: [`label ${String(body?.label)}`] };
  }),
  recovery: { latencySlackMs: 1000 },
  slos: {
    baseline: { p95_ms: '< 1000', error_rate: '< 1%', ok_rate: '> 99%' },
    fault: { wrong_rate: '< 1%' },
    recovery: { recovery_s: '< 5' },
  },
});
