import { defineConfig } from 'vitest/config';

/**
 * Most test time waits on real processes, browsers, timers and databases, not the CPU: more
 * workers than cores keep both cores busy (the default on a 2-core machine is one worker).
 * Every wait is sized for a loaded machine: tests also pass beside a CPU-heavy process.
 */
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts', 'scripts/**/*.test.ts'],
    exclude: ['node_modules/**', 'test/fixtures/**'],
    globalSetup: ['./test/support/global-setup.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
    maxWorkers: 4,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // expect.poll's default (1 s) is shorter than a loaded machine may need.
    expect: { poll: { timeout: 15_000 } },
  },
});
