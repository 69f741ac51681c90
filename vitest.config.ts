import { defineConfig } from 'vitest/config';

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

export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    include: ['subgraphs/**/test/**/*.test.ts', 'gateway/test/**/*.test.ts', 'platform/**/test/**/*.test.ts', 'test/**/*.test.ts'],
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
  },
});
