/**
 * What a person opening a share link in a browser sees instead of JSON: a
 * small page that asks for the password, or says the link is wrong, why it
 * no longer opens (revoked, expired, its maker's access lost, an older link
 * whose document moved) or that it rests after too many wrong passwords. API
 * clients (no text/html in Accept) get JSON with the same stable `code`. Pages have no script and no outside resource,
 * are never cached, send no referrer (the URL is the credential) and cannot
 * be framed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../../../platform/http/respond.js';

export type ShareRefusal =
  | 'missing'
  | 'revoked'
  | 'expired'
  | 'maker-lost-access'
  | 'left-pinned-record'
  | 'password'
  | 'wrong-password'
  | 'too-many'
  | 'too-large'
  | 'unavailable';

const NEW_LINK = 'Ask the person who shared it for a new one.';

/** Each refusal's status, page and JSON error, and its stable code (the link's ShareLink.status where it has one). */
const REFUSALS: Record<ShareRefusal, { status: number; code: string; title: string; text: string; error: string; form: boolean }> = {
  missing: {
    status: 404,
    code: 'NOT_FOUND',
    title: 'Link not found',
    text: 'There is no shared document at this address. Check the link you were given.',
    error: 'No such shared document',
    form: false,
  },
  revoked: { status: 410, code: 'REVOKED', title: 'Link revoked', text: `This share link was revoked. ${NEW_LINK}`, error: 'This share link was revoked', form: false },
  expired: { status: 410, code: 'EXPIRED', title: 'Link expired', text: `This share link has expired. ${NEW_LINK}`, error: 'This share link has expired', form: false },
  'maker-lost-access': {
    status: 410,
    code: 'MAKER_LOST_ACCESS',
    title: 'Link no longer valid',
    text: `The person who made this link can no longer see the document where it is now, so the link no longer opens it. ${NEW_LINK}`,
    error: 'Whoever made this share link may no longer read the document where it is now',
    form: false,
  },
  'left-pinned-record': {
    status: 410,
    code: 'LEFT_PINNED_RECORD',
    title: 'Link no longer valid',
    text: `This older link opens the document only where it was when the link was made, and the document has moved since. ${NEW_LINK}`,
    error: 'This older share link serves its document only on the record it was on, and the document has moved',
    form: false,
  },
  password: {
    status: 401,
    code: 'PASSWORD_REQUIRED',
    title: 'Password required',
    text: 'This shared document is protected. Enter the password you were given.',
    error: 'This share link needs a password',
    form: true,
  },
  'wrong-password': { status: 403, code: 'WRONG_PASSWORD', title: 'Wrong password', text: 'That password is not right. Try again.', error: 'Wrong password', form: true },
  'too-many': {
    status: 429,
    code: 'TOO_MANY_ATTEMPTS',
    title: 'Too many attempts',
    text: 'Too many wrong passwords were tried for this link. Try again later.',
    error: 'Too many wrong passwords for this link: try again later',
    form: false,
  },
  'too-large': { status: 413, code: 'TOO_LARGE', title: 'Request too large', text: 'The form sent was too large.', error: 'The request body is too large', form: true },
  unavailable: {
    status: 503,
    code: 'CANNOT_TELL',
    title: 'Try again shortly',
    text: 'This link cannot be checked right now. Try again in a moment.',
    error: 'This share link cannot be checked right now: try again shortly',
    form: false,
  },
};

/** A browser navigating (Accept names text/html), not an API client. */
export function wantsPage(request: IncomingMessage): boolean {
  return /\btext\/html\b/i.test(request.headers.accept ?? '');
}

function page(refusal: ShareRefusal, retryAfter?: number): string {
  const { title, text, form } = REFUSALS[refusal];
  const wait = retryAfter ? `<p>You can try again in ${Math.ceil(retryAfter / 60)} minute(s).</p>` : '';
  const fields = form
    ? `<form method="post" autocomplete="off"><label for="password">Password</label>
<input id="password" name="password" type="password" required maxlength="200" autofocus>
<button type="submit">Open</button></form>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${title}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem;color:#222}
h1{font-size:1.4rem}label{display:block;margin:1rem 0 .25rem}input{width:100%;padding:.5rem;font:inherit;box-sizing:border-box}
button{margin-top:1rem;padding:.5rem 1.25rem;font:inherit}</style></head>
<body><main><h1>${title}</h1><p>${text}</p>${wait}${fields}</main></body></html>
`;
}

/** Answers a refused share request as a page for browsers and as JSON for the rest, with the same status. */
export function refuseShare(request: IncomingMessage, response: ServerResponse, refusal: ShareRefusal, retryAfter?: number): void {
  const headers: Record<string, string> = retryAfter ? { 'retry-after': String(retryAfter) } : {};
  const { status, code, error } = REFUSALS[refusal];
  if (!wantsPage(request)) return sendJson(response, status, { error, code, ...(refusal === 'password' && { passwordRequired: true }) }, headers);
  const body = page(refusal, retryAfter);
  response.writeHead(status, {
    ...headers,
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  });
  response.end(body);
}
