/**
 * Webhooks as LiveKit sends them: a JSON WebhookEvent (content type
 * application/webhook+json) with an `Authorization` header holding a JWT
 * (HS256 with the API secret, issuer = API key) whose `sha256` claim is the
 * base64 SHA-256 of the exact body.
 */
import { createHash, randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';

export interface WebhookOptions {
  apiKey?: string;
  apiSecret?: string;
  /** Event creation time; defaults to now. Null leaves it out, as protojson does for 0. */
  createdAt?: Date | null;
  /** The token's `nbf` (LiveKit's signing time; it sets no `iat`); defaults to now. Null leaves it out. */
  signedAt?: Date | null;
  id?: string;
  /** Sign this body instead of the one sent (tampering tests). */
  signedBody?: string;
  /** Send no Authorization header at all. */
  unsigned?: boolean;
  tokenTtlSeconds?: number;
}

export function webhookBody(event: string, fields: Record<string, unknown>, options: WebhookOptions = {}): string {
  const id = options.id ?? `EV_${randomBytes(8).toString('hex')}`;
  if (options.createdAt === null) return JSON.stringify({ event, ...fields, id });
  const createdAt = Math.floor((options.createdAt ?? new Date()).getTime() / 1000);
  return JSON.stringify({ event, ...fields, id, createdAt: String(createdAt) });
}

/** LiveKit's webhook token: `nbf` the signing time, `exp` five minutes later (`ttlSeconds` after `signedAt`). */
export async function signWebhook(body: string, apiKey: string, apiSecret: string, ttlSeconds = 300, signedAt: Date | null = new Date()): Promise<string> {
  const sha256 = createHash('sha256').update(body).digest('base64');
  const from = signedAt ?? new Date();
  const token = new SignJWT({ sha256 }).setProtectedHeader({ alg: 'HS256' }).setIssuer(apiKey);
  if (signedAt) token.setNotBefore(signedAt);
  return token.setExpirationTime(new Date(from.getTime() + ttlSeconds * 1000)).sign(new TextEncoder().encode(apiSecret));
}

/** POSTs one webhook; returns the HTTP status and parsed answer, and the event id. */
export async function sendWebhook(url: string, event: string, fields: Record<string, unknown>, options: WebhookOptions = {}): Promise<{ status: number; body: any; id: string }> {
  const body = webhookBody(event, fields, options);
  const headers: Record<string, string> = { 'content-type': 'application/webhook+json' };
  if (!options.unsigned) {
    headers.authorization = await signWebhook(options.signedBody ?? body, options.apiKey ?? 'devkey', options.apiSecret ?? 'secret', options.tokenTtlSeconds, options.signedAt);
  }
  const response = await fetch(url, { method: 'POST', headers, body });
  return { status: response.status, body: await response.json().catch(() => null), id: JSON.parse(body).id };
}
