/**
 * @defer over HTTP: incremental delivery as a `multipart/mixed` body
 * (`deferSpec=20220824`, the format Apollo Client and urql read, as Apollo
 * Server writes it): each payload a part of its own, JSON, the first with
 * the initial data and `hasNext: true`, the last with `hasNext: false`. Only
 * for clients whose Accept names that format (pipeline/answer-formats.ts);
 * the others get one JSON answer with every part in it.
 */
import type { ServerResponse } from 'node:http';
import type { AnswerPart } from './incremental-parts.js';

export const MULTIPART_CONTENT_TYPE = 'multipart/mixed; boundary="-"; deferSpec=20220824';
const PART_HEADER = '\r\n---\r\ncontent-type: application/json; charset=utf-8\r\n\r\n';
const END = '\r\n-----\r\n';

/** Writes each part as it comes (incremental-parts.ts: the initial payload first); ends the body after the last. */
export async function writeMultipart(response: ServerResponse, status: number, parts: AsyncIterable<AnswerPart>): Promise<void> {
  response.removeHeader('content-length');
  response.writeHead(status, { 'content-type': MULTIPART_CONTENT_TYPE, 'cache-control': 'no-store' });
  for await (const part of parts) {
    if (response.destroyed) return; // the client left: the deferred fetches were cancelled with its request
    response.write(`${PART_HEADER}${part.text}`);
  }
  response.end(END);
}
