import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests start real servers and measure latency; two cores are shared, so keep files serial.
    fileParallelism: false,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
