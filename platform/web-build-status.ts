/**
 * Whether web/dist (the explorer and the web client) is being built, or its
 * last build failed. `npm start` builds it in the background
 * (scripts/lib/ensure-web-build.ts) and says so in this file; the gateway, a
 * process of its own, reads it to answer its pages with "still building"
 * meanwhile instead of "not built". A status is only believed while the
 * process that wrote it lives: one left behind by a killed start means nothing.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT } from './paths.js';

/** Outside web/dist (Vite empties it) and web/node_modules (npm ci replaces it); never in an image. */
export const WEB_BUILD_STATUS_FILE = path.join(REPO_ROOT, 'node_modules', '.cache', 'bheem-web-build.json');

/** `step`: what a build is doing now, for people; `since`: when it began (epoch ms); `pid`: the start that wrote it. */
export type WebBuildStatus = { state: 'building'; step: string; since: number; pid: number } | { state: 'failed'; error: string; pid: number };

export function writeWebBuildStatus(status: WebBuildStatus, file = WEB_BUILD_STATUS_FILE): void {
  mkdirSync(path.dirname(file), { recursive: true });
  // Written whole, then renamed: a reader never sees half of it.
  writeFileSync(`${file}.${process.pid}`, JSON.stringify(status));
  renameSync(`${file}.${process.pid}`, file);
}

export function clearWebBuildStatus(file = WEB_BUILD_STATUS_FILE): void {
  rmSync(file, { force: true });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The current status, or null: no build going on and none failed (or its writer is gone). */
export async function readWebBuildStatus(file = WEB_BUILD_STATUS_FILE): Promise<WebBuildStatus | null> {
  let status: WebBuildStatus;
  try {
    status = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return null; // none
  }
  return typeof status?.pid === 'number' && alive(status.pid) ? status : null;
}
