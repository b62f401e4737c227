import { customScorer, defineScenario, fakes, mode, requests } from 'shakedown';

// A ticket router with its own retry loop (examples/pairs/retry-client) meets a real quota: 5 requests per 2 s
// window for its API key from 6 s to 10 s, at 5 req/s. Half the calls of each window get 429 with a retry-after
// that is the real time to the window's end. SHAKEDOWN_TWIN=careless runs it with RETRY_POLICY=ignore (10
// immediate retries, all refused in the same window, then 503); careful (the default) waits as asked: its retry
// lands in the next window, or after the quota is lifted.
const twin = process.env.SHAKEDOWN_TWIN || 'careful';
if (twin !== 'careful' && twin !== 'careless') throw new Error(`SHAKEDOWN_TWIN must be careful or careless, got '${twin}'`);

export default defineScenario({
  name: 'retry-client-quota',
  description: `The model's quota for the router's key (5 requests per 2 s) runs out in every window for 4 s; a router that waits the retry-after it is given routes every ticket (${twin}).`,
  system: {
    command: ['node', 'examples/pairs/retry-client/server.ts'],
    env: ({ model }) => ({ LLM_URL: `${model.url}/v1`, RETRY_POLICY: twin === 'careful' ? 'honor' : 'ignore' }),
  },
  dependencies: { model: fakes.model() },
  load: {
    executor: 'constant-arrival-rate',
    rate: 5,
    duration: '20s',
    warmup: '2s',
    timeout: '8s',
    connections: 64,
    requests: requests.static({
      method: 'POST',
      path: '/route',
      body: { ticket: 'My parcel is late and the shipping tracking page shows nothing.' },
    }),
  },
  faults: [{ on: 'model', at: '6s', for: '4s', fault: mode.quota({ rpm: 5, windowMs: 2000 }) }],
  // The model fake classifies by the labels the prompt gives: this ticket shares a word with "shipping" only.
  score: customScorer(function routedToShipping(sample) {
    const queue = (sample.json as { queue?: unknown } | undefined)?.queue;
    return queue === 'shipping' ? { outcome: 'ok', quality: 1 } : { outcome: 'wrong', quality: 0, reasons: [`queue ${String(queue)}`] };
  }),
  recovery: { latencySlackMs: 1000 },
  slos: {
    baseline: { p95_ms: '< 1000', error_rate: '< 1%', ok_rate: '> 99%' },
    fault: { error_rate: '< 1%', p99_ms: '< 6000' },
    recovery: { recovery_s: '< 5' },
  },
});
