/**
 * When a (verified) token expires, so that a long-lived subscription ends
 * with it: the connection authenticated once, and must not outlive the
 * credential it was opened with.
 */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** `exp` of a JWT in milliseconds, undefined when it has none. Call only on verified tokens. */
export function tokenExpiry(token: string): number | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof payload.exp === 'number' ? payload.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** Calls `onExpired` when the token expires; returns the cancel function. */
export function onTokenExpiry(token: string, onExpired: () => void): () => void {
  const expiresAt = tokenExpiry(token);
  if (expiresAt === undefined) return () => {};
  let timer: NodeJS.Timeout;
  const arm = () => {
    const remaining = expiresAt - Date.now();
    if (remaining <= 0) return onExpired();
    timer = setTimeout(arm, Math.min(remaining, MAX_TIMER_MS));
    timer.unref();
  };
  arm();
  return () => clearTimeout(timer);
}
