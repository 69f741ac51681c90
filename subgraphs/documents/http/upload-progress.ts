/**
 * Progress of an upload as its bytes pass: a pass-through stream that counts
 * them and reports the count at most every `intervalMs` (one report in
 * flight at a time, so a slow database never queues writes), plus a log line
 * every `logEveryBytes`. The final count is the storage backend's own.
 *
 * Its errors are its reader's: the stream is fed by a client that may go
 * away (and fail it) before the storage backend reading it has listened
 * (after its own awaits: a mkdir, a database read). Unlistened, that error
 * would be uncaught and end the process; the reader still sees it, as the
 * stream stays errored.
 */
import { Transform } from 'node:stream';

export interface ProgressOptions {
  intervalMs?: number;
  logEveryBytes?: number;
  report: (bytes: number) => Promise<void>;
  log: (bytes: number) => void;
}

export interface ProgressStream extends Transform {
  /** Waits for the report in flight, if any. */
  settled(): Promise<void>;
}

export function uploadProgress({ intervalMs = 500, logEveryBytes = 128 * 1024 * 1024, report, log }: ProgressOptions): ProgressStream {
  let bytes = 0;
  let lastReport = Date.now();
  let nextLog = logEveryBytes;
  let inFlight: Promise<void> | undefined;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (bytes >= nextLog) {
        log(bytes);
        nextLog += logEveryBytes;
      }
      const now = Date.now();
      if (!inFlight && now - lastReport >= intervalMs) {
        lastReport = now;
        // Progress is advisory: a failed report must not fail the upload.
        inFlight = report(bytes)
          .catch(() => {})
          .finally(() => (inFlight = undefined));
      }
      callback(null, chunk);
    },
  }) as ProgressStream;
  stream.on('error', () => {});
  stream.settled = async () => {
    await inFlight;
  };
  return stream;
}
