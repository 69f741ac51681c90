/**
 * What a request's Accept lets /graphql answer with, decided before the
 * operation runs (GraphQL over HTTP; Apollo's incremental delivery
 * protocol):
 *
 * - `json`: application/json or application/graphql-response+json is
 *   acceptable (so are `*` wildcards, and an absent or empty Accept);
 * - `multipart`: multipart/mixed with `deferSpec=20220824` is, by name. A
 *   bare `multipart/mixed`, another deferSpec or a wildcard do not promise
 *   the format Apollo Client and urql read, so @defer's parts are then
 *   merged into one JSON answer, when JSON is acceptable;
 * - neither: nothing the gateway writes is acceptable, 406 with a message
 *   (NOT_ACCEPTABLE), never Apollo Server's refusal and its stack trace.
 *
 * A client that accepts only multipart/mixed;deferSpec=20220824 gets an
 * operation without @defer as one part of that format.
 */
import { preferredMediaType } from '../../platform/http/media-negotiation.js';
import { refusal, type Refusal } from './edge-request.js';

export interface AnswerFormats {
  json: boolean;
  multipart: boolean;
}

const MULTIPART = 'multipart/mixed;deferSpec=20220824';
const ANY_MULTIPART = 'multipart/mixed';
/** What Apollo Server is asked for when only multipart is acceptable: it writes single results as JSON only. */
export const MULTIPART_AND_JSON = `${MULTIPART}, application/json`;

const EITHER: AnswerFormats = Object.freeze({ json: true, multipart: false });
const known = new Map<string, AnswerFormats>();

export const NOT_ACCEPTABLE = refusal(
  406,
  'NOT_ACCEPTABLE',
  'Accept names no media type this endpoint answers with: application/graphql-response+json, application/json, or multipart/mixed;deferSpec=20220824 for @defer',
);

export function answerFormats(accept: string | undefined): AnswerFormats {
  if (accept === undefined || accept.trim() === '') return EITHER;
  const seen = known.get(accept);
  if (seen) return seen;
  const formats = Object.freeze({
    json: preferredMediaType(accept, ['application/json', 'application/graphql-response+json']) !== undefined,
    // Ties go to the first: only an Accept that names deferSpec=20220824 prefers the second.
    multipart: preferredMediaType(accept, [ANY_MULTIPART, MULTIPART]) === MULTIPART,
  });
  // Clients send a few header texts: bounded against a caller who sends a new one each time.
  if (known.size < 64) known.set(accept, formats);
  return formats;
}

/** The refusal for a request whose Accept allows no answer, or undefined. */
export const unacceptable = (formats: AnswerFormats): Refusal | undefined => (formats.json || formats.multipart ? undefined : NOT_ACCEPTABLE);
