import { randomUUID } from 'node:crypto';

/**
 * Runs once in vitest's main process before the test files' processes start (they inherit its environment):
 * names this test run, so browser tests build the app once per run rather than once per file (test/e2e/build-app.ts).
 */
export default function setup(): void {
  process.env.PIXELWIRE_TEST_RUN_ID ??= randomUUID();
}
