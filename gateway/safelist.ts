/**
 * Persisted-operation safelist mode: with GATEWAY_SAFELIST_FILE set, only the
 * operations of that manifest run, for our own frontends. The manifest is
 * Apollo's persisted query manifest format
 * (`{ format: "apollo-persisted-query-manifest", version: 1, operations: [{ id, name, type, body }] }`).
 * A client sends either the operation's `id` (as `documentId`, or as
 * `extensions.persistedQuery.sha256Hash`) or its exact text.
 */
import { readFileSync } from 'node:fs';

export interface Safelist {
  /** The text to execute, or undefined when the request names no operation of the manifest. */
  resolve(request: { query?: unknown; documentId?: unknown; extensions?: unknown }): string | undefined;
  size: number;
}

interface ManifestOperation {
  id: string;
  body: string;
}

export function loadSafelist(file: string): Safelist {
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as { format?: string; operations?: ManifestOperation[] };
  if (manifest.format !== 'apollo-persisted-query-manifest' || !Array.isArray(manifest.operations)) {
    throw new Error(`${file} is not an Apollo persisted query manifest`);
  }
  const byId = new Map(manifest.operations.map((operation) => [operation.id, operation.body]));
  const bodies = new Set(byId.values());
  return {
    size: byId.size,
    resolve({ query, documentId, extensions }) {
      const persisted = (extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery?.sha256Hash;
      const id = typeof documentId === 'string' ? documentId : typeof persisted === 'string' ? persisted : undefined;
      if (id !== undefined) {
        const body = byId.get(id);
        return body !== undefined && (query === undefined || query === body) ? body : undefined;
      }
      return typeof query === 'string' && bodies.has(query) ? query : undefined;
    },
  };
}
