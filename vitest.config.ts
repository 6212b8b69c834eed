import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      // The SIP rig runs only inside its own loopback-only network namespace (npm run test:sip).
      'test/sip/vitest.config.ts',
      {
        test: {
          name: 'unit',
          include: [
            'src/**/*.test.ts',
            'electron/**/*.test.ts',
            'test/unit/**/*.test.ts',
            'test/integration/**/*.test.ts',
          ],
          environment: 'node',
          // Integration tests start real servers and hash passwords: generous under full load.
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
