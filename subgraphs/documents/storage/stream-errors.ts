/**
 * Remote backends report failures in their own shapes (HTTP status on the
 * error, SDK error names, socket errors). These helpers map them onto ours.
 */
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { meteredStream, type MeteredStream } from './metered-stream.js';

/** An HTTP-ish status carried by a client error, if any. */
export function statusOf(error: unknown): number | undefined {
  const candidate = error as { status?: unknown; response?: { status?: unknown }; $metadata?: { httpStatusCode?: unknown } };
  const status = candidate?.status ?? candidate?.response?.status ?? candidate?.$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

/**
 * `body` piped through a meter; `failure()` tells whether the meter (not the
 * remote side) stopped the transfer, e.g. because the size limit was passed.
 */
export function meterBody(body: Readable, maxBytes?: number): { stream: MeteredStream; failure: () => Error | undefined } {
  const stream = meteredStream(maxBytes);
  let failure: Error | undefined;
  pipeline(body, stream, (error) => {
    if (error) failure = error;
  });
  stream.on('error', (error) => (failure ??= error));
  return { stream, failure: () => failure };
}
