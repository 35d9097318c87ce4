import { defineConfig } from 'vitest/config';

/**
 * Programs that the process monitor sees machine-wide (copies named after catalogue programs,
 * the preflight's close button, which ends programs by name): their test files run one at a
 * time, so no test sees, or ends, another's programs. Every other file runs beside them.
 */
const PROCESS_TESTS = [
  'test/monitor/processes.test.ts',
  'test/monitor/fingerprints.test.ts',
  'test/e2e/candidate-preflight.test.ts',
  'test/e2e/electron.test.ts',
  'src/main/monitor/ps-source.test.ts',
];

const shared = {
  // Sized for four workers on two busy cores: a browser walk through every page takes 30 s.
  testTimeout: 90_000,
  hookTimeout: 60_000,
  // expect.poll's default (1 s) is shorter than a loaded machine may need.
  expect: { poll: { timeout: 15_000 } },
};

/**
 * Most test time waits on real processes, browsers, timers and databases, not the CPU: more
 * workers than cores keep both cores busy (the default on a 2-core machine is one worker).
 * Every wait is sized for a loaded machine: tests also pass beside a CPU-heavy process.
 */
export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    // Once for the whole run (the build every browser and pack test reads).
    globalSetup: ['./test/support/global-setup.ts'],
    projects: [
      {
        // Unit tests beside the code: no globals, mocks or environment of their own, so one
        // worker runs many files in one module graph instead of importing it anew for each.
        test: {
          ...shared,
          name: 'unit',
          include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
          exclude: ['node_modules/**', ...PROCESS_TESTS],
          isolate: false,
          maxWorkers: 4,
        },
      },
      {
        test: {
          ...shared,
          name: 'vakt',
          include: ['test/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: ['node_modules/**', 'test/fixtures/**', ...PROCESS_TESTS],
          maxWorkers: 4,
        },
      },
      {
        test: {
          ...shared,
          name: 'programs',
          include: PROCESS_TESTS,
          fileParallelism: false,
        },
      },
    ],
  },
});
