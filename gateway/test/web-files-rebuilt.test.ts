/**
 * The web client's files while web/ is rebuilt under a running gateway: Vite
 * empties web/dist and writes it again, so a file found by one request may be
 * gone a moment later. Every answer must be whole or a clean refusal, and the
 * gateway must never die of it (an unhandled stream error would end the run).
 */
import { mkdtempSync, rmSync, mkdirSync, writeFileSync, unlinkSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../platform/config.js';
import { APP_PREFIX, createWebRoutes } from '../web/web-routes.js';

const ASSET = Buffer.alloc(512 * 1024, 'a');
let distDir: string;
let server: http.Server;
let base: string;

beforeAll(async () => {
  distDir = mkdtempSync(path.join(os.tmpdir(), 'bheem-web-dist-'));
  mkdirSync(path.join(distDir, 'assets'));
  writeFileSync(path.join(distDir, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(path.join(distDir, 'assets', 'app.js'), ASSET);
  const config = loadConfig({ ...process.env, DATABASE_URL: '', GATEWAY_WEB_APP: 'true' });
  const { routes } = createWebRoutes({ config, distDir });
  const app = routes.find((route) => route.path === APP_PREFIX)!;
  server = http.createServer((request, response) => void app.handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(distDir, { recursive: true, force: true });
});

/** One GET: the status and the bytes, or 'cut' when the connection ended early. */
function fetchAsset(): Promise<{ status: number; length: number } | 'cut'> {
  return new Promise((resolve) => {
    const request = http.get(`${base}${APP_PREFIX}assets/app.js`, { agent: false }, (response) => {
      let length = 0;
      response.on('data', (chunk: Buffer) => (length += chunk.length));
      response.on('end', () => resolve({ status: response.statusCode!, length }));
      response.on('error', () => resolve('cut'));
      response.on('aborted', () => resolve('cut'));
    });
    request.on('error', () => resolve('cut'));
  });
}

it('serves whole files or refuses cleanly while the files are deleted and written again', async () => {
  const file = path.join(distDir, 'assets', 'app.js');
  const until = Date.now() + 3_000;
  let rebuilding = true;
  const rebuild = (async () => {
    while (rebuilding) {
      try {
        unlinkSync(file);
      } catch {
        // already gone
      }
      await new Promise((resolve) => setImmediate(resolve));
      writeFileSync(file, ASSET);
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  const answers: Awaited<ReturnType<typeof fetchAsset>>[] = [];
  while (Date.now() < until) answers.push(...(await Promise.all(Array.from({ length: 8 }, fetchAsset))));
  rebuilding = false;
  await rebuild;

  for (const answer of answers) {
    if (answer === 'cut') continue;
    if (answer.status === 200) expect(answer.length).toBe(ASSET.length);
    else expect(answer.status).toBe(404);
  }
  expect(answers.filter((answer) => answer !== 'cut' && answer.status === 200).length).toBeGreaterThan(0);
  // Still serving afterwards.
  const after = await fetchAsset();
  expect(after).toEqual({ status: 200, length: ASSET.length });
}, 60_000);
