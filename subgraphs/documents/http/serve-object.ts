/**
 * Streams a stored object as an HTTP answer: the sniffed type, an attachment
 * disposition, the checksum as a strong ETag (304 on If-None-Match), single
 * byte ranges (206, 416), HEAD, and no buffering. Used by signed downloads
 * and share links alike.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { sendJson } from '../../../platform/http/respond.js';
import { ObjectNotFoundError, type ByteRange, type StorageBackend } from '../storage/storage-backend.js';
import { parseRange } from './byte-range.js';
import { contentDisposition } from './content-disposition.js';

export interface ServedObject {
  storageKey: string;
  size: number;
  checksum: string;
  mimeType: string | null;
  filename: string;
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((candidate) => {
    const value = candidate.trim().replace(/^W\//, '');
    return value === '*' || value === etag;
  });
}

export interface ServeOptions {
  /** Called once a body is about to be sent (not for HEAD, 304 or 416), with the range served if any. */
  onBody?: (range: ByteRange | undefined) => Promise<void>;
}

export async function serveObject(
  request: IncomingMessage,
  response: ServerResponse,
  backend: StorageBackend,
  object: ServedObject,
  options: ServeOptions = {},
): Promise<void> {
  const etag = `"${object.checksum}"`;
  const cacheControl = 'private, no-cache';
  const headers: Record<string, string | number> = {
    'content-type': object.mimeType ?? 'application/octet-stream',
    'content-disposition': contentDisposition(object.filename),
    etag,
    'accept-ranges': 'bytes',
    'cache-control': cacheControl,
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
  };
  if (etagMatches(request.headers['if-none-match'], etag)) {
    response.writeHead(304, { etag, 'cache-control': cacheControl });
    response.end();
    return;
  }
  // If-Range with another validator means "the file changed: send it whole".
  const ifRange = request.headers['if-range'];
  const rangeHeader = ifRange && ifRange !== etag ? undefined : request.headers.range;
  const range = parseRange(rangeHeader, object.size);
  if (range.kind === 'unsatisfiable') {
    response.writeHead(416, { 'content-range': `bytes */${object.size}`, etag });
    response.end();
    return;
  }
  let body;
  try {
    body = await backend.get(object.storageKey, range.kind === 'range' ? range.range : undefined);
  } catch (error) {
    if (error instanceof ObjectNotFoundError) return sendJson(response, 404, { error: 'The stored file is missing' });
    return sendJson(response, 503, { error: (error as Error).message });
  }
  if (request.method !== 'HEAD') await options.onBody?.(range.kind === 'range' ? range.range : undefined);
  if (range.kind === 'range') {
    const { start, end } = range.range;
    response.writeHead(206, { ...headers, 'content-range': `bytes ${start}-${end}/${object.size}`, 'content-length': end - start + 1 });
  } else {
    response.writeHead(200, { ...headers, 'content-length': object.size });
  }
  if (request.method === 'HEAD') {
    body.destroy();
    response.end();
    return;
  }
  await pipeline(body, response);
}
