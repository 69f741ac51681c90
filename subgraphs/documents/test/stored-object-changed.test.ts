/**
 * A file changed on a browsable backend (someone edits it in Nextcloud)
 * after it was stored: a download or share link never passes the changed
 * bytes off as the stored file. A longer file once went out as a complete
 * answer of the stored length holding the new bytes (and its excess was
 * written onto the keep-alive connection past Content-Length); a shorter one
 * left the client waiting for bytes that never came; one of the same size
 * went out whole.
 */
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COMPANIES, DEMO_ERP } from '../../../platform/demo/demo-ids.js';
import { startWebDavServer, storageEnv, type StorageServer } from '../../../test/storage/storage-servers.js';
import { startDocumentsPlatform, type DocumentsPlatform } from './documents-platform.js';

let docs: DocumentsPlatform;
let webdav: StorageServer;
const agent = new http.Agent({ keepAlive: true });
beforeAll(async () => {
  webdav = await startWebDavServer();
  docs = await startDocumentsPlatform({ ...storageEnv({ webdav }), DOCUMENTS_STORAGE_BACKEND: 'webdav' });
});
afterAll(async () => {
  agent.destroy();
  await docs?.stop();
  await webdav?.stop();
  await webdav?.remove();
});

const PROJECT = DEMO_ERP.projects[1].id;
/** Someone replaces the file through the WebDAV server, as a person browsing Nextcloud would. */
async function replaceByHand(filename: string, text: string) {
  const url = `${webdav.url}/bheem/${DEMO_COMPANIES.bheem.id}/project-${PROJECT}/${encodeURIComponent(filename)}`;
  expect((await fetch(url, { method: 'PUT', body: text })).status).toBeLessThan(300);
}

async function upload(filename: string, text: string): Promise<string> {
  const document = await docs.uploadAs('maya.manager', { entityType: 'project', entityId: PROJECT, filename }, text, 'downloadUrl');
  return docs.onService(document.downloadUrl);
}

interface Received {
  status: number;
  body: string;
  /** The whole answer arrived, as its framing announced. */
  complete: boolean;
}

function download(url: string, headers: Record<string, string> = {}): Promise<Received> {
  return new Promise((resolve) => {
    const request = http.get(url, { agent, headers }, (response) => {
      const chunks: Buffer[] = [];
      const done = () => resolve({ status: response.statusCode!, body: Buffer.concat(chunks).toString('utf8'), complete: response.complete });
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', done);
      response.on('aborted', done);
      response.on('error', done);
    });
    // Cut before the head was sent: the connection closes on the client ("socket hang up").
    request.on('error', () => resolve({ status: 0, body: '', complete: false }));
  });
}

/** Everything the server writes for one request on its own connection: the announced length and the bytes after the head. */
function rawGet(url: string): Promise<{ length: number | null; body: string }> {
  const { hostname, port, pathname, search } = new URL(url);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(Number(port), hostname, () => socket.write(`GET ${pathname}${search} HTTP/1.1\r\nhost: ${hostname}\r\nconnection: close\r\n\r\n`));
    const done = () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      const length = /\r\ncontent-length: (\d+)/i.exec(text.slice(0, split));
      resolve({ length: length ? Number(length[1]) : null, body: split < 0 ? '' : text.slice(split + 4) });
    };
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', done);
    socket.on('error', () => {});
  });
}

describe('a stored file changed on the backend', () => {
  it('that is longer: nothing past the stored length is written, and no complete answer of other bytes', async () => {
    const url = await upload('grown.txt', 'stored');
    await replaceByHand('grown.txt', 'STORED, then grown by hand');
    const { length, body } = await rawGet(url);
    // Past Content-Length the bytes would be read as the start of the connection's next answer.
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(length ?? 0);
    expect(body).not.toBe('STORED');
  });

  it('that is shorter: the download is cut at once, the client is not left waiting', async () => {
    const url = await upload('shrunk.txt', 'a longer text than what replaces it');
    await replaceByHand('shrunk.txt', 'tiny');
    const shrunk = await download(url);
    expect(shrunk.complete).toBe(false);
    const range = await download(url, { range: 'bytes=0-9' });
    expect(range.complete && range.status === 206 && range.body.length === 10).toBe(false);
  });

  it('that has other bytes of the same size: never sent whole as the stored file', async () => {
    const url = await upload('swapped.txt', 'abcdefghij');
    await replaceByHand('swapped.txt', 'ABCDEFGHIJ');
    const swapped = await download(url);
    expect(swapped.complete).toBe(false);
    expect(swapped.body).not.toBe('ABCDEFGHIJ');
  });

  it('unchanged: served whole, ranges too', async () => {
    const url = await upload('kept.txt', '0123456789');
    expect(await download(url)).toEqual({ status: 200, body: '0123456789', complete: true });
    expect(await download(url, { range: 'bytes=2-4' })).toEqual({ status: 206, body: '234', complete: true });
  });
});
