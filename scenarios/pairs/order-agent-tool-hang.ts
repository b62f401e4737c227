import { defineScenario, fakes, requests, toxic } from 'shakedown';

// An order agent (examples/pairs/order-agent): the model plans a get_product call, the agent calls the product
// API, the model answers with its result. The product API accepts calls and never answers for 10 s.
// SHAKEDOWN_TWIN=careless runs the agent with TOOL_TIMEOUT_MS=0 (no timeout on the tool call: every request hangs
// with the API); careful (the default) gives the call 1.5 s and answers an honest 504. load.connections is left
// at its default, which covers a hang (a first-time user's careless agent scored above its fix when arrivals
// queued in the harness through the fault and met the API only after it).
const twin = process.env.SHAKEDOWN_TWIN || 'careful';
if (twin !== 'careful' && twin !== 'careless') throw new Error(`SHAKEDOWN_TWIN must be careful or careless, got '${twin}'`);

export default defineScenario({
  name: 'order-agent-tool-hang',
  description: `The product API the agent's tool calls hangs for 10 s; the agent gives up within its budget (504) instead of hanging (${twin}).`,
  system: {
    command: ['node', 'examples/pairs/order-agent/server.ts'],
    env: ({ model, products }) => ({
      LLM_URL: `${model.url}/v1`,
      PRODUCTS_URL: products.url,
      TOOL_TIMEOUT_MS: twin === 'careful' ? '1500' : '0',
    }),
  },
  dependencies: { model: fakes.model(), products: fakes.inventory() },
  load: {
    executor: 'constant-arrival-rate',
    rate: 10,
    duration: '22s',
    warmup: '2s',
    timeout: '4s',
    requests: requests.static({
      method: 'POST',
      path: '/ask',
      body: { question: 'How much does the product "SKU-1002" cost, and is it in stock?' },
    }),
  },
  faults: [{ on: 'products', at: '6s', for: '10s', fault: toxic.timeout({ timeout: 0 }) }],
  // As the summarizer pair: recovery judged against the baseline p95 plus 1 s on a busy machine.
  recovery: { latencySlackMs: 1000 },
  slos: {
    // Two model calls per request (the plan, then the answer with the tool's result) are steps, not duplicates.
    baseline: { p95_ms: '< 1000', error_rate: '< 1%', 'model.duplicate_call_rate': '< 1%' },
    fault: { timeout_rate: '< 1%', p99_ms: '< 3000' },
    recovery: { recovery_s: '< 5' },
  },
});
