/**
 * Request bodies are taken as sent: no route decodes a content coding. A
 * body labelled gzip (or br, deflate...) would otherwise be read as if it
 * were the bytes themselves: an upload stored compressed under the file's
 * name, JSON read from compressed bytes, a label ignored on plain bytes. It
 * is refused before any route, 415 with Accept-Encoding: identity (RFC 9110
 * 15.5.16), the body left unread and the connection closed after it came in.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './respond.js';
import { endAfterUnreadBody } from './unread-body.js';

const IDENTITY = /^\s*(identity\s*)?$/i;

/** True when refused (the answer is sent); `graphql` answers in GraphQL's error shape. */
export function refuseContentCoding(request: IncomingMessage, response: ServerResponse, graphql = false): boolean {
  const coding = request.headers['content-encoding'];
  if (coding === undefined || IDENTITY.test(coding)) return false;
  const message = `Content-Encoding ${JSON.stringify(coding.slice(0, 100))} is not accepted: send the body uncompressed`;
  endAfterUnreadBody(request, response);
  const body = graphql ? { errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] } : { error: message };
  sendJson(response, 415, body, { 'accept-encoding': 'identity' });
  return true;
}
