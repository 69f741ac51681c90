/**
 * The one `Range: bytes=` form we honour: a single range (first-last,
 * first-, or -suffix). Several ranges are answered with the whole file, which
 * RFC 9110 allows; an invalid one (a last position before the first) is
 * ignored, as RFC 9110 §14.2 requires: the whole file, not a 416. Shared by
 * every route that serves files (documents' signed downloads and share links,
 * meet's recordings).
 */

/** Inclusive byte offsets, as in a Content-Range. */
export interface ByteRange {
  start: number;
  end: number;
}

export type RangeRequest = { kind: 'none' } | { kind: 'range'; range: ByteRange } | { kind: 'unsatisfiable' };

export function parseRange(header: string | undefined, size: number): RangeRequest {
  if (!header) return { kind: 'none' };
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return { kind: 'none' };
  const [, first, last] = match as unknown as [string, string, string];
  if (first === '' && last === '') return { kind: 'none' };
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'range', range: { start: Math.max(0, size - suffix), end: size - 1 } };
  }
  const start = Number(first);
  if (last !== '' && Number(last) < start) return { kind: 'none' }; // invalid, not unsatisfiable
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'range', range: { start, end } };
}
