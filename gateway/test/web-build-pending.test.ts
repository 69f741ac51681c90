/**
 * The gateway's pages while `npm start` builds web/dist in the background
 * (the token is printed before the build ends): "still building" with how
 * long so far and when to retry, a failed build said as such, and the pages
 * themselves once the build is done. A status whose writer is gone is ignored.
 * The gateway reads the status only where the start told it a build runs
 * (GATEWAY_WEB_BUILD_STATUS_FILE), and no more once the build has ended.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../platform/config.js';
import { clearWebBuildStatus, writeWebBuildStatus } from '../../platform/web-build-status.js';
import { APP_PREFIX, createWebRoutes } from '../web/web-routes.js';

let folder: string;
let distDir: string;
let statusFile: string;
const servers: http.Server[] = [];
let base: string;
const html = { accept: 'text/html' };

/** The pages as a gateway serves them: `told`, as one the start launched while building web/dist. */
async function pages(told = true): Promise<string> {
  const config = loadConfig({ ...process.env, DATABASE_URL: '', GATEWAY_WEB_APP: 'true', GATEWAY_EXPLORER: 'true', GATEWAY_WEB_BUILD_STATUS_FILE: told ? statusFile : '' });
  const web = createWebRoutes({ config, distDir, devToken: async () => undefined });
  const app = web.routes.find((route) => route.path === APP_PREFIX)!;
  const server = http.createServer((request, response) => {
    const pathname = (request.url ?? '/').split('?')[0]!;
    if (web.wantsExplorer(request, pathname)) return void web.serveExplorer(request, response);
    void app.handle(request, response);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(() => {
  folder = mkdtempSync(path.join(os.tmpdir(), 'bheem-web-pending-'));
  distDir = path.join(folder, 'dist');
  statusFile = path.join(folder, 'status', 'web-build.json');
});
beforeEach(async () => {
  base = await pages();
});
afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  rmSync(folder, { recursive: true, force: true });
});

const writeDist = () => {
  mkdirSync(path.join(distDir, 'assets'), { recursive: true });
  writeFileSync(path.join(distDir, 'index.html'), '<!doctype html><title>the app</title>');
  writeFileSync(path.join(distDir, 'explorer.html'), '<!doctype html><title>the explorer</title><script id="bheem-explorer-config" type="application/json"></script>');
  writeFileSync(path.join(distDir, 'assets', 'app.js'), 'console.log(1);');
};

describe('the pages while npm start builds web/dist', () => {
  it('answer 503 "still building, N s so far" with Retry-After, then the pages once built', async () => {
    const since = Date.now() - 7_000;
    writeWebBuildStatus({ state: 'building', step: 'building with Vite', since, pid: process.pid }, statusFile);
    for (const page of [`${APP_PREFIX}`, `${APP_PREFIX}courses/3`, '/']) {
      const response = await fetch(`${base}${page}`, { headers: html });
      expect(response.status, page).toBe(503);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      const body = await response.text();
      // The seconds the build has taken when the page was written: from 7 to however long the requests took since.
      const seconds = Number(/Still building the web client and the explorer: building with Vite, (\d+) s so far/.exec(body)?.[1]);
      expect(seconds).toBeGreaterThanOrEqual(7);
      expect(seconds).toBeLessThanOrEqual(Math.round((Date.now() - since) / 1000));
      expect(body).toContain('http-equiv="refresh"');
    }
    // An asset not written yet: to retry, not a 404.
    expect((await fetch(`${base}${APP_PREFIX}assets/app.js`)).status).toBe(503);

    // Written, but still building: a page would be half of the new build.
    writeDist();
    expect((await fetch(`${base}${APP_PREFIX}`, { headers: html })).status).toBe(503);
    expect((await fetch(`${base}${APP_PREFIX}assets/app.js`)).status).toBe(200);

    clearWebBuildStatus(statusFile);
    const app = await fetch(`${base}${APP_PREFIX}courses/3`, { headers: html });
    expect(app.status).toBe(200);
    expect(await app.text()).toContain('the app');
    const explorer = await fetch(`${base}/`, { headers: html });
    expect(explorer.status).toBe(200);
    expect(await explorer.text()).toContain('the explorer');
    // The build is over for this gateway: the file is not read again.
    writeWebBuildStatus({ state: 'building', step: 'building with Vite', since: Date.now(), pid: process.pid }, statusFile);
    expect((await fetch(`${base}${APP_PREFIX}`, { headers: html })).status).toBe(200);
    clearWebBuildStatus(statusFile);
    rmSync(distDir, { recursive: true, force: true });
  });

  it('say that the build failed, and why, while the start that tried runs', async () => {
    writeWebBuildStatus({ state: 'failed', error: 'npm run build (in web/) failed (exit 1)', pid: process.pid }, statusFile);
    const response = await fetch(`${base}${APP_PREFIX}`, { headers: html });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBeNull();
    expect(await response.text()).toContain('could not be built: npm run build (in web/) failed (exit 1)');
    clearWebBuildStatus(statusFile);
  });

  it('ignore a status left by a start that is gone: the pages are simply not built', async () => {
    // A pid no process has (above the kernel's largest).
    writeWebBuildStatus({ state: 'building', step: 'building with Vite', since: Date.now(), pid: 2 ** 22 + 1 }, statusFile);
    const response = await fetch(`${base}${APP_PREFIX}`, { headers: html });
    expect(response.status).toBe(503);
    expect((await response.json()).error).toMatch(/not built/);
    clearWebBuildStatus(statusFile);
  });

  it('are never held back by the file where the start told of no build (production, or web/dist current)', async () => {
    const untold = await pages(false);
    writeDist();
    writeWebBuildStatus({ state: 'building', step: 'building with Vite', since: Date.now(), pid: process.pid }, statusFile);
    expect((await fetch(`${untold}${APP_PREFIX}`, { headers: html })).status).toBe(200);
    expect((await fetch(`${untold}/`, { headers: html })).status).toBe(200);
    clearWebBuildStatus(statusFile);
    rmSync(distDir, { recursive: true, force: true });
  });
});
