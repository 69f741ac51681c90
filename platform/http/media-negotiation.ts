/**
 * Apollo Server's own media-type negotiation (the negotiator package, which
 * has no types of its own here), so that our choices of an answer's media
 * type read Accept headers, their parameters and weights as Apollo does.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const Negotiator = require('negotiator') as new (request: {
  headers: { accept: string };
}) => {
  mediaType(available: string[]): string | undefined;
};

/** The one of `available` that `accept` prefers (ties in `available`'s order), or undefined when it accepts none. */
export function preferredMediaType(accept: string, available: string[]): string | undefined {
  return new Negotiator({ headers: { accept } }).mediaType(available);
}
