/**
 * The subscription way into a subgraph (graphql-ws, one identity per
 * subscription, subscription-protocol.ts) holds a gateway-signed identity
 * to the claims rule HTTP holds it to (test/hostile-inputs.test.ts): a
 * company id that is not a UUID, or a Moodle user id that is not one, is
 * refused as UNAUTHENTICATED before any query reads a row with it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { signIdentity } from '../platform/auth/gateway-signature.js';
import type { Viewer } from '../platform/auth/viewer.js';
import { serviceViewer } from '../platform/federation/subgraph-call.js';
import { activeSubscriptions } from '../platform/subgraph/subscriptions/serve-subscriptions.js';
import { CONNECTION_BODY, IDENTITY_EXTENSION, subscribeBody } from '../platform/subgraph/subscriptions/subscription-protocol.js';
import { demoViewer } from './support/subgraph-client.js';
import { startTestPlatform, type TestPlatform } from './support/test-platform.js';

const QUERY = 'subscription { calendarEventChanged { id } }';

let platform: TestPlatform;
let socket: WebSocket;
/** Messages the subgraph sent for each subscription id. */
const answers = new Map<string, { type: string; payload?: any }[]>();
beforeAll(async () => {
  platform = await startTestPlatform({ subgraphs: ['academy', 'calendar'], gateway: false });
  const url = platform.subgraphs.calendar!.url.replace(/^http/, 'ws');
  socket = new WebSocket(url, 'graphql-transport-ws');
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  const acknowledged = new Promise<void>((resolve) =>
    socket.on('message', (data) => {
      const message = JSON.parse(String(data));
      if (message.type === 'connection_ack') return resolve();
      if (message.id) answers.set(message.id, [...(answers.get(message.id) ?? []), message]);
    }),
  );
  const identity = signIdentity(platform.config.internalSigningSecret, serviceViewer('gateway', 'gateway'), 'calendar', CONNECTION_BODY);
  socket.send(JSON.stringify({ type: 'connection_init', payload: { identity } }));
  await acknowledged;
});
afterAll(async () => {
  socket?.close();
  await platform?.stop();
});

function subscribe(id: string, viewer: Viewer): void {
  const request = { query: QUERY, variables: {}, operationName: null };
  const identity = signIdentity(platform.config.internalSigningSecret, viewer, 'calendar', subscribeBody(request));
  socket.send(JSON.stringify({ id, type: 'subscribe', payload: { ...request, extensions: { [IDENTITY_EXTENSION]: identity } } }));
}

it('refuses a subscription whose signed identity names a malformed company or Moodle user, as UNAUTHENTICATED', async () => {
  const malformed = { 'not-a-uuid': { companyId: 'not-a-uuid' }, injection: { companyId: "1' OR '1'='1" }, 'moodle id': { moodleUserId: 'x; DROP' } };
  for (const [id, overrides] of Object.entries(malformed)) subscribe(id, demoViewer('admin', overrides));
  await expect.poll(() => Object.keys(malformed).filter((id) => answers.has(id)).length).toBe(3);
  const codes = Object.fromEntries(Object.keys(malformed).map((id) => [id, answers.get(id)!.map((m) => `${m.type} ${m.payload?.[0]?.extensions?.code}`)]));
  expect(codes).toEqual(Object.fromEntries(Object.keys(malformed).map((id) => [id, ['error UNAUTHENTICATED']])));
  // The same subscription with a well-formed identity is served on the same connection.
  subscribe('well-formed', demoViewer('admin'));
  await expect.poll(() => activeSubscriptions('calendar')).toBe(1);
  expect(answers.get('well-formed')).toBeUndefined();
});
