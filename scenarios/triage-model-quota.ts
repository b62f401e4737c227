import { fileURLToPath } from 'node:url';
import { customScorer, defineScenario, fakes, mode, requests } from 'shakedown';

// The ticket-triage example (examples/ticket-triage) under a model quota: 20 requests a minute for its API key
// from 6 s to 16 s (429s with the real time to the quota's reset, about 55 s, in retry-after). SHAKEDOWN_TWIN=careless
// runs it with TRIAGE_POLICY=careless: the SDK's default retries sleep out a retry-after far longer than the caller
// waits. careful (the default) waits out short retry-afters only and routes the ticket to people otherwise.
const twin = process.env.SHAKEDOWN_TWIN || 'careful';
if (twin !== 'careful' && twin !== 'careless') throw new Error(`SHAKEDOWN_TWIN must be careful or careless, got '${twin}'`);

export default defineScenario({
  name: 'triage-model-quota',
  description: `The model's quota (20 requests/min per key) runs out for 10 s; the triage service routes tickets to people instead of hanging on retry-after (${twin}).`,
  system: {
    command: ['node', 'examples/ticket-triage/server.ts'],
    env: ({ model, tickets }) => ({ LLM_URL: `${model.url}/v1`, TICKETS_URL: tickets.url, TRIAGE_POLICY: twin }),
  },
  dependencies: {
    model: fakes.model(),
    tickets: fakes.custom({ handlers: fileURLToPath(new URL('../examples/ticket-triage/tickets-api.ts', import.meta.url)) }),
  },
  load: {
    executor: 'constant-arrival-rate',
    rate: 8,
    duration: '24s',
    warmup: '2s',
    timeout: '4s',
    connections: 64,
    requests: requests.static({ method: 'POST', path: '/triage', body: { ticket_id: 'T-1001' } }),
  },
  faults: [{ on: 'model', at: '6s', for: '10s', fault: mode.quota({ rpm: 20 }) }],
  // T-1001 is about a double billing charge: the model fake labels it billing. A ticket routed to people is an
  // announced fallback; any other label is wrong.
  score: customScorer(function billingLabel(sample) {
    const body = sample.json as { label?: unknown; routed_to_human?: unknown } | undefined;
    if (body?.routed_to_human === true) return { outcome: 'fallback', quality: 0, reasons: ['routed to people'] };
    if (body?.label === 'billing') return { outcome: 'ok', quality: 1 };
    return { outcome: 'wrong', quality: 0, reasons: [`label ${String(body?.label)}`] };
  }),
  recovery: { latencySlackMs: 1000 },
  slos: {
    baseline: { p95_ms: '< 1000', error_rate: '< 1%', ok_rate: '> 99%' },
    fault: { error_rate: '< 1%', wrong_rate: '< 1%', p99_ms: '< 2500' },
    recovery: { recovery_s: '< 5' },
  },
});
