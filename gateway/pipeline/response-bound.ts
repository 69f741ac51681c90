/**
 * The largest answer one operation may get (GATEWAY_MAX_RESPONSE_BYTES):
 * past it the client gets one error, RESPONSE_TOO_LARGE, and `data: null`
 * (a 2xx, as the GraphQL over HTTP spec wants whenever `data` is present),
 * never a multi-megabyte body. An incremental answer (@defer) counts the
 * bytes of all its parts (incremental-parts.ts). Subgraph answers are bounded alike as they
 * are read (subgraph-data-source.ts), so the gateway never holds more.
 */
export const RESPONSE_TOO_LARGE = 'RESPONSE_TOO_LARGE';

/**
 * True when `body` (one string, or its chunks: answer-chunks.ts) is over `maxBytes` in UTF-8; measured exactly
 * only when its length could be (a string of n units is n to 3n bytes).
 */
export function exceedsBound(body: string | readonly string[], maxBytes: number): boolean {
  const parts = typeof body === 'string' ? [body] : body;
  let length = 0;
  for (const part of parts) length += part.length;
  if (maxBytes <= 0 || length * 3 <= maxBytes) return false;
  if (length > maxBytes) return true;
  let bytes = 0;
  for (const part of parts) bytes += Buffer.byteLength(part);
  return bytes > maxBytes;
}

export const tooLargeMessage = (maxBytes: number) => `The answer exceeds the ${maxBytes} bytes an operation may return: ask for fewer fields or items`;

export function tooLargeBody(maxBytes: number): string {
  return `${JSON.stringify({ errors: [{ message: tooLargeMessage(maxBytes), extensions: { code: RESPONSE_TOO_LARGE } }], data: null })}\n`;
}
