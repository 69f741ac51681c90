/** Without a LiveKit server, joining says which URL it tried and how to run one. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';
import { meetCaller } from './meet-client.js';
import { inMinutes, JOIN, SCHEDULE } from './meet-platform.js';

let platform: TestPlatform;
// Port 9 (discard) on loopback: nothing listens there.
const NOWHERE = 'ws://127.0.0.1:9';
beforeAll(async () => {
  platform = await startTestPlatform({ subgraphs: ['academy', 'meet'], gateway: false, env: { LIVEKIT_URL: NOWHERE, MEET_RECONCILE_INTERVAL_SECONDS: '0' } });
});
afterAll(() => platform?.stop());

it('names the LiveKit URL it tried and `livekit-server --dev` when no LiveKit answers', async () => {
  const call = meetCaller(() => platform);
  const { body } = await call('tara.teacher', SCHEDULE, { input: { courseId: '101', title: 'Offline', scheduledAt: inMinutes(10) } });
  const joined = await call('tara.teacher', JOIN, { id: body.data.scheduleLiveClass.id });
  const error = joined.body.errors![0]!;
  expect(error.extensions?.code).toBe('UNAVAILABLE');
  expect(error.message).toContain('http://127.0.0.1:9');
  expect(error.message).toContain('livekit-server --dev');
});
