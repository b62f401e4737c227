import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * End-to-end tests: whole runs through the CLI (a spawned process or its programmatic entry), the careful and
 * careless twins, the example service, robustness runs, the browser and Docker tests. `scripts/test.sh --fast`
 * (SHAKEDOWN_TEST_FAST=1) leaves them out: the loop to run while editing stays under a minute.
 */
const END_TO_END = [
  'test/cli/**',
  'test/twins/**',
  'test/examples/rag-service.test.ts',
  'test/robustness/interrupt-moments.test.ts',
  'test/robustness/dependency-deaths.test.ts',
  'test/robustness/safety.test.ts',
  'test/robustness/reaper.test.ts',
  'test/reports/cli-reports.test.ts',
  'test/reports/browser.test.ts',
  'test/compat/docker-compose.test.ts',
  // Packs, publishes to a local registry and installs into a fresh project: minutes, and the npm registry.
  'test/package/install.test.ts',
  'test/library/run.test.ts',
  'test/toxiproxy/docker-testcontainers.test.ts',
  'test/compat/docker-compose-engine.test.ts',
  // Whole runs through the CLI with a full disk, a tampered proxy, a remote target in a network namespace.
  'test/robustness/disk-full.test.ts',
  'test/robustness/tampering.test.ts',
  'test/load/remote-target.test.ts',
  // Fuzzing the fakes over real ports (hundreds of malformed requests).
  'test/robustness/fakes-fuzz.test.ts',
  // Pacing, timing and fault-accuracy measurements against real servers: seconds of load each.
  'test/faults/window-edges.test.ts',
  'test/load/run-load-closed-loop.test.ts',
  'test/load/run-load-pacing.test.ts',
  'test/load/run-load-faults.test.ts',
  // Whole scenario runs through the CLI (a fault caught by an SLO).
  'test/faults/scenario-slo.test.ts',
  'test/faults/window-edges-slo.test.ts',
  'test/faults/stream-shaping-slo.test.ts',
  'test/faults/error-shape-slo.test.ts',
  'test/faults/path-targeting-slo.test.ts',
];

export default defineConfig({
  // Scenario files import 'shakedown'; inside this checkout that is the sources (package.json's exports name the
  // built dist/, which tests do not need), as tsconfig.json's paths and the CLI's resolve hook say too.
  resolve: {
    alias: [
      { find: /^shakedown$/, replacement: source('./harness/index.ts') },
      { find: /^shakedown\/fakes$/, replacement: source('./fakes/index.ts') },
      { find: /^shakedown\/vitest$/, replacement: source('./harness/vitest/index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: process.env.SHAKEDOWN_TEST_FAST === '1' ? END_TO_END : [],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests start real servers and measure latency; two cores are shared, so keep files serial.
    fileParallelism: false,
  },
});
