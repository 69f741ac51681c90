/**
 * What the explorer and the web client answer while `npm start` builds
 * web/dist in the background (the API is served meanwhile), or after that
 * build failed: a 503 page saying which, for how long so far, and (while
 * building) when to come back; the page reloads itself until the build is done.
 */
import type { ServerResponse } from 'node:http';
import type { WebBuildStatus } from '../../platform/web-build-status.js';

/** Seconds between retries: a build takes seconds, a first install of web/'s dependencies tens of them. */
const RETRY_SECONDS = 3;

/** Marks the answers above: an expected "come back later" while a start builds the pages, not a failure to log. */
const PENDING = new WeakSet<ServerResponse>();
export const answeredBuildPending = (response: ServerResponse): boolean => PENDING.has(response);

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

export function sendBuildPending(response: ServerResponse, status: WebBuildStatus): void {
  const building = status.state === 'building';
  const headline = building
    ? `Still building the web client and the explorer: ${status.step}, ${Math.max(0, Math.round((Date.now() - status.since) / 1000))} s so far.`
    : `The web client and the explorer could not be built: ${status.error}`;
  const advice = building
    ? `The API already answers at /graphql. This page reloads every ${RETRY_SECONDS} s; npm start prints a line when the pages are ready.`
    : "The API answers at /graphql. See npm start's output for the build's errors, fix them, then run npm run build --prefix web (or npm start again).";
  // No script: the pages' content security policy allows none inline, and a refresh needs none.
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8">${building ? `<meta http-equiv="refresh" content="${RETRY_SECONDS}">` : ''}<title>Bheem Federation: ${building ? 'building' : 'build failed'}</title></head><body><p>${escapeHtml(headline)}</p><p>${escapeHtml(advice)}</p></body></html>`;
  PENDING.add(response);
  response.writeHead(503, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...(building && { 'retry-after': String(RETRY_SECONDS) }),
  });
  response.end(body);
}
