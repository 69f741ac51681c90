/**
 * Request headers the platform's own services set for each other, never a
 * client: the gateway's signed identity (`bheem-identity`) and the `x-bheem-`
 * markers between replicas (documents' `x-bheem-tus-forwarded`: "handle this
 * yourself, do not forward it again"). A client's copy is dropped at the
 * gateway on the pass-through routes, so that no service acts on a marker a
 * client made up. The `x-bheem-` headers a client does send are its own
 * signature of an ingested event (ingest-signature.ts), checked by erp.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { IDENTITY_HEADER } from '../platform/auth/gateway-signature.js';
import { INGEST_SIGNATURE_HEADER, INGEST_TIMESTAMP_HEADER } from '../platform/events/ingest-signature.js';

const INTERNAL_PREFIX = 'x-bheem-';
const CLIENT_SENT = new Set([INGEST_TIMESTAMP_HEADER, INGEST_SIGNATURE_HEADER]);

export function isInternalHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return lower === IDENTITY_HEADER || (lower.startsWith(INTERNAL_PREFIX) && !CLIENT_SENT.has(lower));
}

/** The headers without those only the platform may set. */
export function withoutInternalHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !isInternalHeader(name)));
}
