/**
 * Calendar objects written straight into a running Radicale's storage, as
 * another program or a broken server leaves them: what Radicale refuses on a
 * PUT (broken folding, bytes that are not UTF-8) still reaches the clients
 * that sync the collection. How Radicale is made to serve them: radicale-place.py.
 */
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunningRadicale } from './radicale.js';

const PLACE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'radicale-place.py');

/** The folder of the collection at `collectionUrl` (a URL of this Radicale). */
export function collectionFolder(radicale: RunningRadicale, collectionUrl: string): string {
  const segments = new URL(collectionUrl).pathname.split('/').filter(Boolean).map(decodeURIComponent);
  return path.join(radicale.storageFolder, 'collection-root', ...segments);
}

/**
 * Writes `bytes` as the object `name` of the collection. `verbatim`: served
 * exactly as written (a bad UTF-8 byte reaching a client as U+FFFD); `raw`:
 * Radicale reads the file itself, as it reads what another program wrote.
 */
export function placeObject(radicale: RunningRadicale, collectionUrl: string, name: string, bytes: string | Uint8Array, mode: 'verbatim' | 'raw' = 'verbatim'): Promise<void> {
  // Radicale's own Python (with its vobject), not whichever python3 comes first on the PATH. Not spawnSync:
  // a blocked event loop would not see the API close an idle connection, and the next call would be reset.
  return new Promise((resolve, reject) => {
    const child = execFile('/usr/bin/python3', [PLACE, collectionFolder(radicale, collectionUrl), name, mode], (error, _stdout, stderr) =>
      error ? reject(new Error(`placing ${name} failed: ${stderr || error.message}`)) : resolve(),
    );
    child.stdin!.end(bytes);
  });
}

export async function removeObject(radicale: RunningRadicale, collectionUrl: string, name: string): Promise<void> {
  await rm(path.join(collectionFolder(radicale, collectionUrl), name), { force: true });
}
