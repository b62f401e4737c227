/**
 * A valid scenario as plain data (no functions, so it can be cloned and mutated by property tests), and a
 * deep-freeze helper to prove that validation never writes to its input.
 */
import { dataset, fakes, mode, toxic } from '../../harness/scenario/index.ts';

/** model + retrieval behind a 60 s constant-arrival-rate load, one latency fault on the model from 20 s to 30 s. */
export function validScenario() {
  return {
    name: 'model-latency-spike',
    system: { command: ['node', 'examples/rag-service/server.ts'] },
    dependencies: { model: fakes.model(), retrieval: fakes.retrieval() },
    load: { executor: 'constant-arrival-rate', rate: 40, duration: '60s', requests: dataset.ask('/ask') },
    faults: [{ on: 'model', at: '20s', for: '10s', fault: toxic.latency({ latency: 2000, jitter: 200 }) }],
  } as const satisfies Record<string, unknown>;
}

/** The same scenario with every optional section filled in: a scorer, SLOs, a stale-mode fault on retrieval. */
export function fullScenario() {
  const base = validScenario();
  return {
    ...base,
    description: 'The model slows to 2 s for 10 s.',
    seed: 42,
    faults: [...base.faults, { on: 'retrieval', at: '40s', for: '5s', fault: mode.stale({ rate: 0.5 }) }],
    score: { kind: 'rag-answer', answer: 'answer', citations: 'citations', okRecall: 1 },
    slos: { baseline: { p95_ms: '< 400' }, fault: { error_rate: '< 1%' }, recovery: { recovery_s: '< 10' } },
  } as const;
}

/** Freezes an object graph in place and returns it (writes then throw: ES modules run in strict mode). */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  }
  return value;
}
