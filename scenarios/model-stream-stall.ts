import { dataset, defineScenario, fakes, mode, ragAnswer } from 'shakedown';

// SHAKEDOWN_TWIN=careless runs the careless twin (STREAM_IDLE_TIMEOUT_MS=0: a stalled stream is never detected)
// under the same load, fault and SLOs; careful (the default) ends a stream after 2 s without a chunk.
const twin = process.env.SHAKEDOWN_TWIN || 'careful';
if (twin !== 'careful' && twin !== 'careless') throw new Error(`SHAKEDOWN_TWIN must be careful or careless, got '${twin}'`);
const knobs = { STREAM_IDLE_TIMEOUT_MS: twin === 'careful' ? '2000' : '0' };

export default defineScenario({
  name: 'model-stream-stall',
  description: `Streamed answers: for 8 s the model stops sending after 3 chunks and holds the connection open; the service ends the stream with an error instead of hanging (${twin}).`,
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
  load: {
    executor: 'constant-arrival-rate',
    rate: 12,
    duration: '22s',
    warmup: '2s',
    timeout: '5s',
    connections: 80,
    requests: dataset.ask('/ask', { stream: true }),
  },
  faults: [{ on: 'model', at: '6s', for: '8s', fault: mode.streamStall({ afterChunks: 3 }) }],
  score: ragAnswer(),
  slos: {
    baseline: { ttft_ms: '< 500', stream_abort_rate: '< 1%', error_rate: '< 1%' },
    fault: { timeout_rate: '< 1%', p99_ms: '< 3000' },
    recovery: { recovery_s: '< 5', stream_abort_rate: '< 1%' },
  },
});
