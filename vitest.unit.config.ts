/**
 * `npm run test:unit`: the tests that need no server (no PostgreSQL, Radicale,
 * rclone, s3rver or docker-compose), in seconds, for the edit-test loop. No
 * global setup: a test that needs the database fails here at once (its
 * `inject('databaseServerUrl')` is undefined) and belongs in the full suite
 * only. The full suite (`npm test`) runs these too.
 */
import { defineConfig } from 'vitest/config';

export const UNIT_TESTS = [
  'gateway/test/event-message.test.ts',
  'gateway/test/forward.test.ts',
  'gateway/test/node-flags.test.ts',
  'gateway/test/operation-admission.test.ts',
  'gateway/test/plan-executor.test.ts',
  'gateway/test/shape-response.test.ts',
  'platform/crypto/test/credential-cipher.test.ts',
  'platform/database/test/float8.test.ts',
  'platform/jobs/test/periodic-job.test.ts',
  'subgraphs/academy/test/moodle-time-zone.test.ts',
  'subgraphs/calendar/test/answer-in-text.test.ts',
  'subgraphs/calendar/test/hostile-icalendar.test.ts',
  'subgraphs/calendar/test/recurrence.test.ts',
  'subgraphs/documents/test/filename.test.ts',
  'subgraphs/documents/test/text-extraction.test.ts',
  'subgraphs/meet/test/livekit-double.test.ts',
  'subgraphs/meet/test/livekit-transport.test.ts',
  'subgraphs/meet/test/meet-config.test.ts',
  'subgraphs/meet/test/recording-bucket.test.ts',
  'test/bench-callgrind.test.ts',
  'test/bench-node-runtime.test.ts',
  'test/bench-profile.test.ts',
  'test/deploy/kubernetes.test.ts',
  'test/schema.test.ts',
  'test/subgraph-probe.test.ts',
  'test/start/compiled-cache.test.ts',
  'test/start/escaped-errors.test.ts',
];

export default defineConfig({
  test: {
    include: UNIT_TESTS,
    testTimeout: 120_000,
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' },
  },
});
