import { dataset, defineScenario, fakes, ragAnswer } from 'shakedown';

// B2 and the harness-health check: the whole run path (recording, evidence join, scoring, bucketing, samples
// file) against a fixed-answer JSON server. BENCH_EXECUTOR=vus (closed, BENCH_VUS connections) or rate
// (open, BENCH_RATE req/s); BENCH_SECONDS of measured load. The model fake is started but not called.
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const executor = process.env.BENCH_EXECUTOR ?? 'vus';
const common = { duration: seconds * 1000, warmup: '1s', requests: dataset.ask('/ask') } as const;
export default defineScenario({
  name: 'bench-full-path',
  system: { command: ['node', 'bench/servers/serve.ts', 'json', 'bench/servers/rag-answer.json'] },
  dependencies: { model: fakes.model() },
  load:
    executor === 'vus'
      ? { executor: 'constant-vus', vus: Number(process.env.BENCH_VUS ?? 10), ...common }
      : {
          executor: 'constant-arrival-rate',
          rate: Number(process.env.BENCH_RATE ?? 1000),
          ...(process.env.BENCH_CONNECTIONS ? { connections: Number(process.env.BENCH_CONNECTIONS) } : {}),
          ...common,
        },
  // repeatedAnswer 0: a fixed answer would otherwise be a silent fallback after 3 questions and skip the checks
  score: ragAnswer({ answer: 'answer', citations: 'citations', repeatedAnswer: 0 }),
});
