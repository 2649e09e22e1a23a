// Test projects: `unit` (pure and Node tests beside the code) and `e2e` (the browser shell in real Chromium).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['annotations/**/*.test.ts', 'renderer/**/*.test.ts', 'web/**/*.test.ts', 'electron/**/*.test.ts', 'tests/*.test.ts', 'tests/crash/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/e2e/global-setup.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
