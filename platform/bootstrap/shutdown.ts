/** Runs `stop` once on SIGINT/SIGTERM/SIGHUP, then exits; a second signal exits at once. */
import type { Logger } from '../logger.js';
import { ignoreOutputErrors } from './ignore-output-errors.js';

export function onShutdown(log: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const handle = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    // A closed terminal (SIGHUP) stops the service as SIGTERM does; its output has nowhere to go any more.
    if (signal === 'SIGHUP') ignoreOutputErrors();
    log.info({ signal }, 'shutting down');
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
  process.on('SIGHUP', handle);
}
