/**
 * Signed URLs (document downloads, recordings) live minutes: a page left open
 * longer holds dead ones, and the browser would get the server's refusal
 * instead of the file. Those near their end are renewed before use.
 */

/** Renewed this long before a signed URL's end, so that it is still good when the request arrives. */
const URL_MARGIN_MS = 30_000;

/** Whether a URL ending at `expiresAtMs` (0 or NaN: unknown) must be renewed before use. */
export function isStale(expiresAtMs: number, now = Date.now()): boolean {
  return !!expiresAtMs && expiresAtMs - URL_MARGIN_MS <= now;
}

/** The end of a URL signed by this API (its `expires` parameter, in seconds), in ms; 0 when it has none. */
export function expiryOf(url: string): number {
  return Number(new URL(url, location.href).searchParams.get('expires')) * 1000 || 0;
}
