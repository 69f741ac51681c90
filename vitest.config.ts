import { readdirSync } from 'node:fs';
import { configDefaults, defineConfig } from 'vitest/config';
import { UNIT_TESTS } from './vitest.unit.config.js';

// Moodle's tables provisioned as in embedded mode, and no periodic job or event consumer acting behind a
// test's back unless the test turns it on (its platform's `env`). Production code never looks at VITEST.
const TEST_DEFAULTS = {
  MOODLE_SCHEMA: 'moodle',
  MOODLE_PROVISION: 'true',
  ACADEMY_CONSUME_EVENTS: 'false',
  ACADEMY_REMINDER_POLL_SECONDS: '0',
  CALENDAR_CONSUME_EVENTS: 'false',
  DOCUMENTS_INDEX_CONTENT: 'false',
  CALENDAR_SYNC_INTERVAL_SECONDS: '0',
  CALENDAR_REMINDER_INTERVAL_SECONDS: '0',
  MEET_ROOM_OPEN_INTERVAL_SECONDS: '0',
};

const ALL_TESTS = ['subgraphs/**/test/**/*.test.ts', 'gateway/test/**/*.test.ts', 'platform/**/test/**/*.test.ts', 'test/**/*.test.ts'];

// Files seen passing while sharing a worker process with the files run before them (isolate: false): each file
// then skips re-importing node_modules (Apollo, the AWS SDK: about 2 s of CPU a file). test/support/per-file-state.ts
// still gives each its own project modules and process.env. Files join this list once they have passed so (run
// them with `--project shared-process`); every other file runs in a process of its own.
const SHARED_PROCESS = [
  ...UNIT_TESTS,
  ...testFilesIn('subgraphs/documents/test'),
  ...testFilesIn('subgraphs/academy/test'),
  'platform/**/test/**/*.test.ts',
  ...testFilesIn('gateway/test'),
  ...testFilesIn('subgraphs/calendar/test'),
  ...testFilesIn('subgraphs/meet/test'),
  ...testFilesIn('subgraphs/erp/test'),
].filter(
  // It measures its process's memory growth, and it ran out of its time when it shared a process at load 30.
  (file) => file !== 'subgraphs/documents/test/large-upload.test.ts',
);

/** The test files under `directory`, its subdirectories' too. */
function testFilesIn(directory: string): string[] {
  const names = readdirSync(new URL(directory, import.meta.url), { recursive: true, encoding: 'utf8' });
  return names.filter((name) => name.endsWith('.test.ts')).map((name) => `${directory}/${name}`);
}

export const SUITE_OPTIONS = {
  // Bounds for a test that hangs, not speed limits: waits inside tests follow progress (events,
  // conditions), and on a machine at load 30 a healthy file can take minutes.
  testTimeout: 120_000,
  hookTimeout: 240_000,
  // expect.poll's own default (1 s) is a speed limit: a page that takes 2 s to render at load 27 is not broken.
  expect: { poll: { timeout: 30_000 } },
  // Files run in parallel, each in its own database cloned from a migrated template.
  pool: 'forks',
  maxWorkers: 2,
  // Tests run against a real server given by DATABASE_URL, with Moodle's tables provisioned as in embedded mode.
  // Their protocol peers (Radicale, rclone, s3rver) listen on loopback, which the outbound policy refuses unless allowed.
  env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent', OUTBOUND_ALLOW_PRIVATE: '127.0.0.0/8,::1/128', ...TEST_DEFAULTS },
} as const;

// How the files in SHARED_PROCESS run (and the self-check's failing fixture, so that CI proves a failure still fails the run).
export const SHARED_PROCESS_OPTIONS = { isolate: false, setupFiles: ['test/support/per-file-state.ts'] };

export default defineConfig({
  test: {
    // Once for the run (the root's, not each project's): PostgreSQL and the template databases.
    globalSetup: ['test/global-setup.ts'],
    maxWorkers: 2,
    projects: [
      { test: { ...SUITE_OPTIONS, ...SHARED_PROCESS_OPTIONS, name: 'shared-process', include: SHARED_PROCESS } },
      { test: { ...SUITE_OPTIONS, name: 'isolated', include: ALL_TESTS, exclude: [...configDefaults.exclude, ...SHARED_PROCESS] } },
    ],
  },
});
