/**
 * A company's own storage servers (WebDAV, S3) under
 * the outbound policy: addresses of the server's own network are refused,
 * and an open port that is not storage answers exactly like a closed one.
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDocumentsPlatform, type DocumentsPlatform } from './documents-platform.js';

const SET = `mutation($input: CompanyStorageSettingsInput!) { setCompanyStorageSettings(input: $input) { backend } }`;

let docs: DocumentsPlatform;
let inside: http.Server;
let outside: http.Server;
let closedPort: number;

const listen = async (server: net.Server, host: string) => {
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return (server.address() as AddressInfo).port;
};

beforeAll(async () => {
  inside = http.createServer((_req, res) => res.end('internal'));
  outside = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>a web page</html>'));
  await listen(inside, '127.0.0.1');
  await listen(outside, '127.0.0.2');
  const probe = net.createServer();
  closedPort = await listen(probe, '127.0.0.2');
  await new Promise((resolve) => probe.close(resolve));
  docs = await startDocumentsPlatform({ OUTBOUND_ALLOW_PRIVATE: '127.0.0.2/32', DOCUMENTS_WEBDAV_URL: 'http://127.0.0.1:9/unused' });
});
afterAll(async () => {
  await docs?.stop();
  inside?.close();
  outside?.close();
});

const servers = (url: string) => ({
  webdav: { backend: 'webdav', server: { url, username: 'acme', secret: 'pw' } },
  s3: { backend: 's3', server: { url, bucket: 'acme-files', accessKeyId: 'key', secret: 'pw' } },
});

async function errorOf(input: unknown) {
  const { status, body } = await docs.call('admin', SET, { input });
  expect(status).toBeLessThan(500);
  return body.errors?.[0];
}

describe("a company's own servers and the outbound policy", () => {
  it('refuses addresses of the server’s own network for WebDAV and S3', async () => {
    const port = (inside.address() as AddressInfo).port;
    for (const url of [`http://127.0.0.1:${port}`, `http://localhost:${port}`, 'https://169.254.169.254', 'https://10.0.0.1']) {
      for (const [name, input] of Object.entries(servers(url))) {
        const error = await errorOf(input);
        expect(error?.extensions?.code, `${name} ${url}`).toBe('OUTBOUND_REFUSED');
        expect(error?.message).not.toMatch(/127|169\.254|localhost|internal/);
      }
    }
  });

  it('answers an open port that is not storage exactly like a closed one', async () => {
    for (const [name, open] of Object.entries(servers(`http://127.0.0.2:${(outside.address() as AddressInfo).port}`))) {
      const closed = servers(`http://127.0.0.2:${closedPort}`)[name as 'webdav' | 's3'];
      const [openError, closedError] = [await errorOf(open), await errorOf(closed)];
      expect(openError?.extensions?.code, name).toBe('REMOTE_UNREACHABLE');
      expect(closedError?.extensions?.code, name).toBe('REMOTE_UNREACHABLE');
      expect(openError?.message).toBe(closedError?.message);
    }
  });
});
