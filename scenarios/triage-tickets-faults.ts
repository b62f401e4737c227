import { fileURLToPath } from 'node:url';
import { customScorer, defineScenario, fakes, mode, requests, toxic } from 'shakedown';

// The ticket-triage example (examples/ticket-triage) when its own ticket store (a custom fake served from
// examples/ticket-triage/tickets-api.ts) misbehaves: half its answers are 200 with an error body from 6 s to 14 s,
// then it answers 1.5 s late from 18 s to 22 s. SHAKEDOWN_TWIN=careless runs it with TRIAGE_POLICY=careless (the
// store's JSON is used as it comes, with no timeout); careful (the default) checks it, gives the store 0.5 s, and
// routes the ticket to people when it fails.
const twin = process.env.SHAKEDOWN_TWIN || 'careful';
if (twin !== 'careful' && twin !== 'careless') throw new Error(`SHAKEDOWN_TWIN must be careful or careless, got '${twin}'`);

export default defineScenario({
  name: 'triage-tickets-faults',
  description: `The ticket store answers error bodies with status 200, then slowly; the triage service never labels a ticket it could not read and stays within 1.5 s (${twin}).`,
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
    duration: '26s',
    warmup: '2s',
    timeout: '4s',
    connections: 64,
    requests: requests.static({ method: 'POST', path: '/triage', body: { ticket_id: 'T-1002' } }),
  },
  faults: [
    { on: 'tickets', at: '6s', for: '8s', fault: mode.errorBody({ rate: 0.5 }), name: 'tickets-error-body' },
    { on: 'tickets', at: '18s', for: '4s', fault: toxic.latency({ latency: 1500 }), name: 'tickets-slow' },
  ],
  // T-1002 is about a parcel stuck in shipping: the model fake labels it shipping. A ticket routed to people is an
  // announced fallback; any other label is wrong.
  score: customScorer(function shippingLabel(sample) {
    const body = sample.json as { label?: unknown; routed_to_human?: unknown } | undefined;
    if (body?.routed_to_human === true) return { outcome: 'fallback', quality: 0, reasons: ['routed to people'] };
    if (body?.label === 'shipping') return { outcome: 'ok', quality: 1 };
    return { outcome: 'wrong', quality: 0, reasons: [`label ${String(body?.label)}`] };
  }),
  recovery: { latencySlackMs: 1000 },
  slos: {
    baseline: { p95_ms: '< 1000', error_rate: '< 1%', ok_rate: '> 99%' },
    'tickets-error-body': { wrong_rate: '< 1%', error_rate: '< 1%' },
    'tickets-slow': { p99_ms: '< 1500', error_rate: '< 1%' },
    recovery: { recovery_s: '< 5' },
  },
});
