/**
 * Safelist mode (GATEWAY_SAFELIST_FILE): only the manifest's operations run,
 * whether the client sends their text or their id; the request's text
 * becomes the manifest's.
 */
import type { Safelist } from '../safelist.js';
import { refusal, type EdgeRequest, type Step } from './edge-request.js';

const NOT_PERSISTED = refusal(400, 'PERSISTED_QUERY_NOT_FOUND', 'Only persisted operations of the safelist are accepted here');

export function safelistStep(safelist: Safelist): Step {
  return (request: EdgeRequest) => {
    const text = safelist.resolve(request);
    if (text === undefined) return NOT_PERSISTED;
    if (request.query !== text || request.documentId !== undefined) {
      request.query = text;
      request.documentId = undefined;
      const { persistedQuery: _persisted, ...others } = (request.extensions ?? {}) as Record<string, unknown>;
      request.extensions = Object.keys(others).length > 0 ? others : undefined;
      request.rewritten = true;
    }
    return undefined;
  };
}
