import { customScorer, defineScenario, fakes, mode, requests } from 'shakedown';

// A streaming chat relay (examples/pairs/stream-relay) whose model stream is cut short. SHAKEDOWN_TWIN=careless
// runs it with CHECK_STREAM_END=off (whatever arrived is closed with `done: true`: a cut answer presented as
// complete); careful (the default) sends an error event when the model stream ended without a finish_reason.
const twin = process.env.SHAKEDOWN_TWIN || 'careful';
if (twin !== 'careful' && twin !== 'careless') throw new Error(`SHAKEDOWN_TWIN must be careful or careless, got '${twin}'`);

const MESSAGE =
  'The storm closed the harbour on Monday. Ferries to the islands were cancelled for 36 hours. Shops stayed open. ' +
  'Engineers inspected 4 cranes and found cracks in two of them, so the port authority kept the container terminal shut until Thursday.';

export default defineScenario({
  name: 'stream-relay-cut',
  description: `The model's streams end after 4 chunks without a finish_reason for 8 s; the relay says so with an error event instead of closing a cut answer as complete (${twin}).`,
  system: {
    command: ['node', 'examples/pairs/stream-relay/server.ts'],
    env: ({ model }) => ({ LLM_URL: `${model.url}/v1`, CHECK_STREAM_END: twin === 'careful' ? 'on' : 'off' }),
  },
  dependencies: { model: fakes.model() },
  load: {
    executor: 'constant-arrival-rate',
    rate: 10,
    duration: '20s',
    warmup: '2s',
    timeout: '4s',
    connections: 64,
    requests: requests.static({ method: 'POST', path: '/chat', body: { message: MESSAGE } }),
  },
  faults: [{ on: 'model', at: '6s', for: '8s', fault: mode.streamCut({ afterChunks: 4 }) }],
  // The stream's completion event is read as `{"done": true, "answer": <the relayed text>}`: an answer the
  // relay closed as complete must end a sentence; a stream that ended with an error event announced its failure.
  score: customScorer(function completeAnswer(sample) {
    const body = sample.json as { done?: unknown; answer?: unknown } | undefined;
    if (body?.done !== true) return { outcome: 'http_error', quality: 0, reasons: ['the relay announced an error'] };
    const answer = typeof body.answer === 'string' ? body.answer.trim() : '';
    if (answer === '') return { outcome: 'empty', quality: 0 };
    if (!/[.!?]$/.test(answer)) return { outcome: 'partial', quality: 0.5, reasons: ['presented as complete, but cut mid-sentence'] };
    return { outcome: 'ok', quality: 1 };
  }),
  recovery: { latencySlackMs: 1000 },
  slos: {
    baseline: { p95_ms: '< 1000', stream_abort_rate: '< 1%', ok_rate: '> 99%' },
    // An answer cut short but presented as complete (the model's stream was cut, the relay closed its own as whole).
    fault: { truncated_rate: '< 1%' },
    recovery: { recovery_s: '< 5' },
  },
});
