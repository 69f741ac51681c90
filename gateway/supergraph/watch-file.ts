/**
 * Calls `onChange` when a file's content may have changed: its directory is
 * watched (editors and deploy tools often replace a file by renaming another
 * over it, which a watch on the file itself would lose), and bursts of events
 * (a write in several chunks) are coalesced.
 */
import { watch } from 'node:fs';
import path from 'node:path';

const SETTLE_MS = 50;

export function watchFile(file: string, onChange: () => void): () => void {
  const name = path.basename(file);
  let timer: NodeJS.Timeout | undefined;
  const watcher = watch(path.dirname(file), (_event, changed) => {
    if (changed !== null && changed !== name) return;
    clearTimeout(timer);
    timer = setTimeout(onChange, SETTLE_MS);
    timer.unref();
  });
  watcher.unref();
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}
