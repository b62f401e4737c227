import { customScorer, defineScenario, fakes, mode, requests } from 'shakedown';

// A ticket router with its own retry loop (examples/pairs/retry-client) meets a 3.5 s rate limit with
// retry-after 2 s. The rate stays at 5 req/s: the careless storm (11 calls per request) must not outrun the
// service's own CPU on a busy machine, or its retries spread past the window and succeed (seen at 10 req/s with
// load average 7). SHAKEDOWN_TWIN=careless runs it with RETRY_POLICY=ignore (up to 10 immediate retries: 11 model
// calls per request, all inside the window, then 503); careful (the default) waits as asked and answers.
const twin = process.env.SHAKEDOWN_TWIN || 'careful';
if (twin !== 'careful' && twin !== 'careless') throw new Error(`SHAKEDOWN_TWIN must be careful or careless, got '${twin}'`);

export default defineScenario({
  name: 'retry-client-rate-limit',
  description: `The model answers every call with 429 and retry-after 2 s for 3.5 s; a router that waits as asked routes every ticket, one that retries at once burns its retries inside the window (${twin}).`,
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
  faults: [{ on: 'model', at: '6s', for: '3.5s', fault: mode.rateLimit({ rate: 1, retryAfter: 2 }) }],
  // The model fake classifies by the labels the prompt gives: this ticket shares a word with "shipping" only.
  score: customScorer(function routedToShipping(sample) {
    const queue = (sample.json as { queue?: unknown } | undefined)?.queue;
    return queue === 'shipping' ? { outcome: 'ok', quality: 1 } : { outcome: 'wrong', quality: 0, reasons: [`queue ${String(queue)}`] };
  }),
  recovery: { latencySlackMs: 1000 },
  slos: {
    baseline: { p95_ms: '< 1000', error_rate: '< 1%', ok_rate: '> 99%' },
    // The careless router sends 11 model calls per request in the window; the careful one 2 or 3 (it waits 2 s
    // between calls, so a request that starts early in the 3.5 s window meets the limit twice).
    fault: { error_rate: '< 1%', p99_ms: '< 6000', 'model.calls_per_request': '< 4' },
    recovery: { recovery_s: '< 5' },
  },
});
