/**
 * What a person opening a share link in a browser sees instead of JSON: a
 * small page that asks for the password, or says the link is wrong, gone or
 * resting after too many wrong passwords. API clients (no text/html in
 * Accept) keep getting JSON. Pages have no script and no outside resource,
 * are never cached, send no referrer (the URL is the credential) and cannot
 * be framed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../../../platform/http/respond.js';

export type ShareRefusal = 'missing' | 'gone' | 'password' | 'wrong-password' | 'too-many' | 'too-large' | 'unavailable';

const PAGES: Record<ShareRefusal, { status: number; title: string; text: string; form: boolean }> = {
  missing: { status: 404, title: 'Link not found', text: 'There is no shared document at this address. Check the link you were given.', form: false },
  gone: { status: 410, title: 'Link no longer valid', text: 'This share link has expired or was revoked. Ask the person who shared it for a new one.', form: false },
  password: { status: 401, title: 'Password required', text: 'This shared document is protected. Enter the password you were given.', form: true },
  'wrong-password': { status: 403, title: 'Wrong password', text: 'That password is not right. Try again.', form: true },
  'too-many': { status: 429, title: 'Too many attempts', text: 'Too many wrong passwords were tried for this link. Try again later.', form: false },
  'too-large': { status: 413, title: 'Request too large', text: 'The form sent was too large.', form: true },
  unavailable: { status: 503, title: 'Try again shortly', text: 'This link cannot be checked right now. Try again in a moment.', form: false },
};

const JSON_ERRORS: Record<ShareRefusal, Record<string, unknown>> = {
  missing: { error: 'No such shared document' },
  gone: { error: 'This share link has expired or was revoked' },
  password: { error: 'This share link needs a password', passwordRequired: true },
  'wrong-password': { error: 'Wrong password' },
  'too-many': { error: 'Too many wrong passwords for this link: try again later' },
  'too-large': { error: 'The request body is too large' },
  unavailable: { error: 'This share link cannot be checked right now: try again shortly' },
};

/** A browser navigating (Accept names text/html), not an API client. */
export function wantsPage(request: IncomingMessage): boolean {
  return /\btext\/html\b/i.test(request.headers.accept ?? '');
}

function page(refusal: ShareRefusal, retryAfter?: number): string {
  const { title, text, form } = PAGES[refusal];
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
  const status = PAGES[refusal].status;
  if (!wantsPage(request)) return sendJson(response, status, JSON_ERRORS[refusal], headers);
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
