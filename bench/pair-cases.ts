/**
 * Careful/careless service pairs that are not the example RAG service (issue 11, "Done means"): small real
 * services under examples/pairs/, each with one knob between the careful and the careless behaviour of one
 * classic bug, and a scenario under scenarios/pairs/ that reads SHAKEDOWN_TWIN as the shipped twins' scenarios
 * do. Same shape as TWIN_CASES, so `runTwin` runs them; bench/pairs.ts makes the table.
 */
import type { TwinCase } from './twin-cases.ts';

export const PAIR_CASES: readonly TwinCase[] = [
  {
    bug: 'summarizer (openai SDK) with no timeout on the model call',
    scenario: 'scenarios/pairs/summarizer-model-hang.ts',
    carelessKnobs: 'LLM_TIMEOUT_MS=0',
    phase: 'fault',
    caughtBy: ['timeout_rate', 'p99_ms'],
    outcome: 'timeout',
  },
  {
    bug: 'streaming relay (openai SDK stream) that closes a cut model stream as complete',
    scenario: 'scenarios/pairs/stream-relay-cut.ts',
    carelessKnobs: 'CHECK_STREAM_END=off',
    phase: 'fault',
    caughtBy: ['truncated_rate'],
    outcome: 'truncated',
  },
  {
    bug: 'LangChain.js chain that passes a finish_reason "length" answer on as complete',
    scenario: 'scenarios/pairs/brief-chain-truncated.ts',
    carelessKnobs: 'ACCEPT_TRUNCATED=yes',
    phase: 'fault',
    caughtBy: ['truncated_rate'],
    outcome: 'truncated',
  },
  {
    bug: 'own retry loop (openai SDK, maxRetries 0) that ignores retry-after',
    scenario: 'scenarios/pairs/retry-client-rate-limit.ts',
    carelessKnobs: 'RETRY_POLICY=ignore',
    phase: 'fault',
    caughtBy: ['error_rate', 'model.calls_per_request'],
    outcome: 'http_error',
  },
  {
    bug: 'own retry loop (openai SDK, maxRetries 0) that ignores retry-after, under a per-key quota',
    scenario: 'scenarios/pairs/retry-client-quota.ts',
    carelessKnobs: 'RETRY_POLICY=ignore',
    phase: 'fault',
    caughtBy: ['error_rate'],
    outcome: 'http_error',
  },
  {
    bug: 'order agent (openai SDK tool loop) with no timeout on the tool call',
    scenario: 'scenarios/pairs/order-agent-tool-hang.ts',
    carelessKnobs: 'TOOL_TIMEOUT_MS=0',
    phase: 'fault',
    caughtBy: ['timeout_rate', 'p99_ms'],
    outcome: 'timeout',
  },
  {
    bug: 'classifier (openai SDK, JSON schema) that falls back to a default label without saying so',
    scenario: 'scenarios/pairs/classifier-model-errors.ts',
    carelessKnobs: 'FALLBACK_MODE=silent',
    phase: 'fault',
    caughtBy: ['wrong_rate'],
    outcome: 'wrong',
  },
];
