/**
 * The gateway's pages for people (off in production unless configured):
 * the explorer (GraphiQL) at / and at GET /graphql when a browser asks for
 * HTML, and the reference web client at /app/. Both are static files that
 * web/ builds (`npm run build --prefix web`, or `npm start` when they are
 * missing); nothing is fetched from elsewhere, so they work offline. The
 * explorer page carries the README's example operations and, in embedded
 * mode only, the demo administrator's dev token.
 */
import { type FileHandle, open, readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { PlatformConfig } from '../../platform/config.js';
import { sendJson } from '../../platform/http/respond.js';
import { REPO_ROOT } from '../../platform/paths.js';
import type { HttpRoute } from '../../platform/subgraph/subgraph-module.js';
import { readWebBuildStatus, type WebBuildStatus } from '../../platform/web-build-status.js';
import { sendBuildPending } from './build-pending-page.js';
import { readmeExamples } from './readme-examples.js';

export const WEB_DIST_DIR = path.join(REPO_ROOT, 'web', 'dist');
export const APP_PREFIX = '/app/';

export interface WebRoutesOptions {
  config: PlatformConfig;
  /** The demo administrator's dev token (main.ts gives one in embedded mode only); never shown in production or with real tokens. */
  devToken?: () => Promise<string | undefined>;
  distDir?: string;
  /** Where `npm start` says that web/dist is being built (platform/web-build-status.ts); by default the configuration's, if any. */
  buildStatusFile?: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

// Scripts only from the gateway itself; the pages are never framed. (GraphiQL sets inline styles.)
const PAGE_HEADERS = {
  'content-security-policy': "script-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'cache-control': 'no-cache',
};

/** A dev token on a page only where tokens are dev tokens anyway: AUTH_MODE=dev, never production (and main.ts: embedded mode). */
export function devTokenAllowed(config: PlatformConfig): boolean {
  return config.auth.mode === 'dev' && !config.production;
}

export function createWebRoutes({ config, devToken, distDir = WEB_DIST_DIR, buildStatusFile = config.gateway.webBuildStatusFile }: WebRoutesOptions) {
  const examples = readmeExamples();

  /**
   * The build's status, read from the file only while a build runs: once it has ended (done, failed, or its start
   * gone) nothing changes it for this gateway, whose start launched it, so the last answer stands.
   */
  let followed = buildStatusFile;
  let ended: WebBuildStatus | null = null;
  const buildStatus = async (): Promise<WebBuildStatus | null> => {
    if (!followed) return ended;
    const status = await readWebBuildStatus(followed);
    if (status?.state !== 'building') {
      followed = undefined;
      ended = status;
    }
    return status;
  };
  /** A page while `npm start` builds web/dist: said so, and when to come back. */
  const building = (status: WebBuildStatus | null): status is WebBuildStatus => status?.state === 'building';
  /** No page to serve: the build under way or failed, said as such, or simply not built. */
  const missingBuild = (response: ServerResponse, status: WebBuildStatus | null): void => {
    if (status) return sendBuildPending(response, status);
    sendJson(response, 503, { error: 'The web pages are not built: run `npm run build --prefix web` (npm start does it when web/dist is missing)' });
  };
  const tokenForPage = async () => (devTokenAllowed(config) && devToken ? await devToken().catch(() => undefined) : undefined);

  /** GET / or GET /graphql from a browser (Accept: text/html, no operation in the URL). */
  const wantsExplorer = (request: IncomingMessage, pathname: string): boolean => {
    if (!config.gateway.explorer || (request.method !== 'GET' && request.method !== 'HEAD')) return false;
    if (pathname !== '/' && pathname !== '/graphql') return false;
    if (pathname === '/graphql' && /[?&]query=/.test(request.url ?? '')) return false;
    return request.headers.accept?.includes('text/html') ?? false;
  };

  const serveExplorer = async (_request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const status = await buildStatus();
    if (building(status)) return sendBuildPending(response, status);
    let page: string;
    try {
      page = await readFile(path.join(distDir, 'explorer.html'), 'utf8');
    } catch {
      return missingBuild(response, status);
    }
    // JSON inside <script>: "<" escaped so that no value can close the element.
    const settings = JSON.stringify({ devToken: await tokenForPage(), examples }).replace(/</g, '\\u003c');
    const body = page.replace(
      /(<script id="bheem-explorer-config" type="application\/json">)[\s\S]*?(<\/script>)/,
      (_, open: string, close: string) => `${open}${settings}${close}`,
    );
    response.writeHead(200, { ...PAGE_HEADERS, 'content-type': TYPES['.html']!, 'content-length': Buffer.byteLength(body), vary: 'accept' });
    response.end(body);
  };

  const serveApp = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    let pathname: string;
    try {
      pathname = decodeURIComponent((request.url ?? '/').split('?')[0]!);
    } catch {
      return sendJson(response, 400, { error: 'Malformed path' });
    }
    if (pathname === `${APP_PREFIX}session.json`) {
      return sendJson(response, 200, { authMode: config.auth.mode, devToken: await tokenForPage() }, { 'cache-control': 'no-store' });
    }
    const relative = path.normalize(pathname.slice(APP_PREFIX.length)).replace(/^(\.\.(\/|\\|$))+/, '');
    let file = path.join(distDir, relative);
    if (!file.startsWith(distDir + path.sep) && file !== distDir) return sendJson(response, 404, { error: 'Not found' });
    // A page while web/dist is rebuilt would be the old one, or half of the new one's files.
    const isAsset = path.extname(relative) !== '' && relative !== 'index.html';
    // Read once a request, and for an asset only when it is missing: assets already written are served meanwhile.
    let status = isAsset ? null : await buildStatus();
    if (building(status)) return sendBuildPending(response, status);
    let opened = await openRegularFile(file);
    if (!opened) {
      // A file that is not there is a 404 (while a build writes it, a 503 to retry); any other path is a page of the app (client-side routing).
      if (isAsset) {
        status = await buildStatus();
        return building(status) ? sendBuildPending(response, status) : sendJson(response, 404, { error: 'Not found' });
      }
      file = path.join(distDir, 'index.html');
      opened = await openRegularFile(file);
      if (!opened) return missingBuild(response, status);
    }
    const { handle, size } = opened;
    const immutable = relative.startsWith(`assets${path.sep}`) && file !== path.join(distDir, 'index.html');
    response.writeHead(200, {
      ...PAGE_HEADERS,
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'content-length': size,
      // Vite names assets by their content hash: they never change under one name.
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    if (request.method === 'HEAD') {
      await handle.close();
      return void response.end();
    }
    // Read through the handle opened above: a rebuild of web/ that deletes the file meanwhile leaves these bytes
    // readable. A read that fails or comes up short (the file truncated in place) cuts the answer rather than
    // leaving the client waiting for the bytes announced.
    const body = handle.createReadStream();
    await pipeline(body, response).catch(() => {});
    if (body.bytesRead !== size) response.destroy();
  };

  const routes: HttpRoute[] = config.gateway.webApp
    ? [
        { method: 'GET', path: APP_PREFIX, handle: serveApp },
        { method: 'GET', path: '/app', handle: async (_request, response) => void response.writeHead(308, { location: APP_PREFIX }).end() },
      ]
    : config.gateway.explorer
      ? // The explorer's scripts and styles live with the app's.
        [{ method: 'GET', path: `${APP_PREFIX}assets/`, handle: serveApp }]
      : [];

  return { wantsExplorer, serveExplorer, routes };
}

/** The file opened with its size, or null when it is not a regular file (or is gone). */
async function openRegularFile(file: string): Promise<{ handle: FileHandle; size: number } | null> {
  const handle = await open(file, 'r').catch(() => null);
  if (!handle) return null;
  const info = await handle.stat().catch(() => null);
  if (info?.isFile()) return { handle, size: info.size };
  await handle.close();
  return null;
}
