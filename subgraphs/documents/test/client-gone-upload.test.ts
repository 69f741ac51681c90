/**
 * A client that drops a signed PUT while the service is still checking its
 * ticket (the request already destroyed when the bytes would start to flow)
 * must not leave an uncaught 'aborted' error: in production that ends the
 * service process (scripts/lib/start-stack.ts exits on one). The ticket's
 * row is held locked so that the drop lands inside the claim, every time.
 */
import net from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_ERP } from '../../../platform/demo/demo-ids.js';
import { encodeRequest } from '../../../test/support/raw-http.js';
import { startDocumentsPlatform, type DocumentsPlatform } from './documents-platform.js';

let docs: DocumentsPlatform;
beforeAll(async () => {
  docs = await startDocumentsPlatform();
});
afterAll(async () => {
  await docs?.stop();
});

it('a PUT dropped before its ticket is claimed escapes no error', async () => {
  const input = { entityType: 'task', entityId: DEMO_ERP.tasks[1].id, filename: 'dropped.bin', size: 1_000_000 };
  const url = new URL(docs.onService((await docs.ticketAs('maya.manager', input, 'uploadUrl')).uploadUrl));
  const uploadId = url.pathname.split('/').pop()!;
  const escaped: unknown[] = [];
  const onEscaped = (error: unknown) => escaped.push(error);
  process.on('uncaughtException', onEscaped);
  try {
    await docs.db.transaction().execute(async (trx) => {
      // Locked (and marked: the route's release clears received_size once it is done) until the client is gone.
      await trx.updateTable('documents.upload_sessions').set({ received_size: 1 }).where('id', '=', uploadId).execute();
      const server = docs.platform.subgraphs.documents!.server;
      const gone = new Promise<void>((resolve) => server.once('request', (request) => request.once('close', () => resolve())));
      const socket = net.connect(Number(url.port), '127.0.0.1');
      socket.on('error', () => {});
      const request = { method: 'PUT', target: `${url.pathname}${url.search}`, body: Buffer.alloc(1000, 0x61), contentLength: input.size };
      socket.write(encodeRequest(Number(url.port), request), () => socket.destroy());
      await gone;
    });
    // The claim went through once the lock was released, then the failed PUT released the ticket again.
    for (;;) {
      const row = await docs.db.selectFrom('documents.upload_sessions').select(['status', 'received_size']).where('id', '=', uploadId).executeTakeFirstOrThrow();
      if (row.received_size === null) {
        expect(row.status).toBe('pending');
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    process.off('uncaughtException', onEscaped);
  }
  expect(escaped).toEqual([]);
});
