import type { IncomingMessage } from 'node:http';
import { withholdContinue } from './expect-continue.js';
import { LINGER_MS } from './unread-body.js';

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`Request body exceeds ${limit} bytes`);
  }
}

/** As Node's stream iterator reports a request that closed before its end. */
function prematureClose(): Error {
  return Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
}

/**
 * The rest of a body past its limit is read and dropped, for LINGER_MS at most, then the connection is cut:
 * cut at once, TCP resets it and a client still sending loses the 413 the caller answers (unread-body.ts).
 */
function dropRest(request: IncomingMessage): void {
  withholdContinue(request);
  request.resume();
  if (request.complete) return;
  const timer = setTimeout(() => request.destroy(), LINGER_MS);
  request.once('end', () => clearTimeout(timer));
  request.once('close', () => clearTimeout(timer));
}

/**
 * Reads a whole request body, refusing (and not buffering) anything past `limit`.
 * Listeners rather than `for await`: the stream's async iterator, its promises
 * and its destroy at the end measured a few per cent of the gateway's CPU on a
 * one-fetch operation. A body past the limit rejects, its rest dropped
 * (dropRest); as with the iterator, a request that errs or closes before its
 * end rejects.
 */
export function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (declared > limit) {
    dropRest(request);
    return Promise.reject(new BodyTooLargeError(limit));
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('close', onClose);
    };
    function onData(chunk: Buffer) {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        dropRest(request);
        reject(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    }
    function onEnd() {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    }
    function onError(error: Error) {
      cleanup();
      reject(error);
    }
    function onClose() {
      cleanup();
      reject(prematureClose());
    }
    if (request.readableEnded) return resolve(Buffer.alloc(0));
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
    request.on('close', onClose);
  });
}
