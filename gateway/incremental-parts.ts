/**
 * The parts of an answer as every transport sends them (multipart/mixed,
 * graphql-ws `next` messages, SSE `next` events): the initial payload, with
 * `hasNext: true` when @defer's parts follow, then each later payload, its
 * errors formatted as the initial payload's were. One producer, so that the
 * transports differ only in their framing.
 *
 * The response-size bound (GATEWAY_MAX_RESPONSE_BYTES) counts the bytes of
 * every part, as it counts a whole answer: the part that takes the total
 * past it is replaced by one that ends the answer with RESPONSE_TOO_LARGE,
 * and the deferred parts still running are let go (reading stops, which
 * cancels their fetches and frees the operation's admission slot).
 *
 * An initial payload with `data: null` ends the answer (`hasNext: false`):
 * no later part has anywhere to go.
 *
 * A failure of ours once the answer has begun (its status and first part
 * may be out already: a deferred part's data that cannot be serialized, say)
 * ends it with a part that says so (INTERNAL_SERVER_ERROR, no internals in
 * its message), as a client can read it, rather than a cut connection.
 */
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import type { IncrementalItem, SubsequentPayload } from './execution/incremental.js';
import { RESPONSE_TOO_LARGE, tooLargeMessage } from './pipeline/response-bound.js';

/** The initial payload: a GraphQL response, its errors already formatted. */
export interface InitialPayload {
  data?: unknown;
  errors?: readonly GraphQLFormattedError[];
  extensions?: Record<string, unknown>;
}

/** A part, as an object (for transports that serialize it themselves) and as its JSON text. */
export interface AnswerPart {
  payload: Record<string, unknown>;
  text: string;
}

export interface AnswerPartsOptions {
  formatErrors: (errors: readonly GraphQLError[]) => GraphQLFormattedError[];
  /** GATEWAY_MAX_RESPONSE_BYTES; 0: no bound. */
  maxBytes: number;
  /** Told when the bound ends the answer (metrics, the access log). */
  onTooLarge?: () => void;
  /** Told of a failure that ended the answer early (the log): its client gets failedPart's error. */
  onFailed?: (error: unknown) => void;
}

export const ANSWER_FAILED = 'INTERNAL_SERVER_ERROR';
const failure = { message: 'The gateway failed to complete this answer', extensions: { code: ANSWER_FAILED } };

/** The last part of an answer that failed: in place of the initial payload (`hasNext` when parts were to follow), or after it. */
function failedPart(initialSent: boolean, incremental: boolean): AnswerPart {
  if (initialSent) return part({ hasNext: false, errors: [failure] });
  return part({ data: null, errors: [failure], ...(incremental && { hasNext: false }) });
}

const part = (payload: Record<string, unknown>): AnswerPart => ({ payload, text: JSON.stringify(payload) });

/** A later payload as clients receive it. */
function formatted(payload: SubsequentPayload, formatErrors: AnswerPartsOptions['formatErrors']): Record<string, unknown> {
  const incremental = payload.incremental?.map(({ errors, ...item }) => (errors?.length ? { ...item, errors: formatErrors(errors) } : item));
  return incremental ? { hasNext: payload.hasNext, incremental } : { hasNext: payload.hasNext };
}

/** The part sent in place of one that would take the answer past the bound: an error where its data would be, and the end. */
function tooLargePart(maxBytes: number, items: readonly IncrementalItem[] | undefined): AnswerPart {
  const first = items?.[0];
  const error = { message: tooLargeMessage(maxBytes), extensions: { code: RESPONSE_TOO_LARGE } };
  return part({ hasNext: false, incremental: [{ data: null, path: first?.path ?? [], ...(first?.label !== undefined && { label: first.label }), errors: [error] }] });
}

export async function* answerParts(initial: InitialPayload, rest: AsyncIterable<SubsequentPayload> | undefined, options: AnswerPartsOptions): AsyncGenerator<AnswerPart> {
  const progress = { initialSent: false };
  try {
    yield* boundedParts(initial, rest, options, progress);
  } catch (error) {
    // Leaving boundedParts by this throw returned `rest`: the deferred parts still running are let go.
    options.onFailed?.(error);
    yield failedPart(progress.initialSent, rest !== undefined);
  }
}

async function* boundedParts(
  initial: InitialPayload,
  rest: AsyncIterable<SubsequentPayload> | undefined,
  options: AnswerPartsOptions,
  progress: { initialSent: boolean },
): AsyncGenerator<AnswerPart> {
  const { maxBytes } = options;
  let sent = 0;
  const fits = (text: string) => maxBytes <= 0 || (sent += Buffer.byteLength(text)) <= maxBytes;

  if (rest && initial.data === null) {
    // No data for a later part to go into (a failure took the whole answer, a subgraph's value too deep to
    // serialize, say): as GraphQL's incremental delivery does, the initial payload is the last, and the
    // deferred parts still running are let go.
    await rest[Symbol.asyncIterator]().return?.();
    progress.initialSent = true;
    yield part({ ...initial, hasNext: false });
    return;
  }
  const first = part(rest ? { ...initial, hasNext: true } : { ...initial });
  if (!fits(first.text)) {
    options.onTooLarge?.();
    // As the whole answer's bound does: no data, one error; the deferred parts are not waited for.
    yield part({ errors: [{ message: tooLargeMessage(maxBytes), extensions: { code: RESPONSE_TOO_LARGE } }], data: null, ...(rest && { hasNext: false }) });
    await rest?.[Symbol.asyncIterator]().return?.();
    return;
  }
  progress.initialSent = true;
  yield first;
  if (!rest) return;
  // Leaving the loop early (the bound, or the transport returning this generator) stops `rest`.
  for await (const payload of rest) {
    const next = part(formatted(payload, options.formatErrors));
    if (!fits(next.text)) {
      options.onTooLarge?.();
      yield tooLargePart(maxBytes, payload.incremental);
      return;
    }
    yield next;
  }
}
