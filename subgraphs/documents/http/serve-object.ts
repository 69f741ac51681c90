/**
 * Streams a stored object as an HTTP answer: the sniffed type, an attachment
 * disposition, the checksum as a strong ETag (304 on If-None-Match), single
 * byte ranges (206, 416), HEAD, and no buffering; the bytes held to the
 * stored size and checksum (verified-body.ts). Used by signed downloads and
 * share links alike.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { sendJson } from '../../../platform/http/respond.js';
import { ObjectNotFoundError, type ByteRange, type StorageBackend } from '../storage/storage-backend.js';
import { parseRange } from './byte-range.js';
import { contentDisposition } from '../../../platform/http/content-disposition.js';
import { verifiedBody } from './verified-body.js';

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

export async function serveObject(request: IncomingMessage, response: ServerResponse, backend: StorageBackend, object: ServedObject, options: ServeOptions = {}): Promise<void> {
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
  const status = range.kind === 'range' ? 206 : 200;
  const length = range.kind === 'range' ? range.range.end - range.range.start + 1 : object.size;
  const rangeHeaders = range.kind === 'range' ? { 'content-range': `bytes ${range.range.start}-${range.range.end}/${object.size}` } : {};
  if (request.method === 'HEAD') {
    // The metadata answers HEAD; no need to open the object on a remote backend.
    response.writeHead(status, { ...headers, ...rangeHeaders, 'content-length': length });
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
  await options.onBody?.(range.kind === 'range' ? range.range : undefined);
  response.writeHead(status, { ...headers, ...rangeHeaders, 'content-length': length });
  // Exactly `length` bytes, and a whole file only if its checksum holds: else the answer is cut (and the failure logged).
  await pipeline(body, verifiedBody(length, range.kind === 'range' ? null : object.checksum), response);
}
