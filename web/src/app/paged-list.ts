/**
 * A list read a page at a time from one of the API's connections (README
 * "Paging"): `reload` reads the first page again, `more` the next after the
 * last cursor. Items already shown are not repeated (one added by the page
 * itself, say, that a later page also holds). `items` stays the caller's to
 * change (a decided request leaves, a cancelled one changes in place).
 *
 * Live updates race the reads: a page's answer may have been read before a
 * change the page has already heard. `heard` records each live version, and
 * an answer takes the newer of its own and the one heard (`changedAt`); an
 * item the caller placed from a live update while a first page was read
 * stays beside that page's answer, which may have been read without it.
 */
import { ref, type Ref } from 'vue';
import { asApiError, type ApiError } from './api';

/** How many items a page of a list asks for: a screenful on a phone. */
export const PAGE_SIZE = 10;

export interface PageOf<T> {
  edges: { node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

export interface LiveListOptions<T> {
  /** When an item last changed (an ISO instant): the later of an answer's and a live version is shown. */
  changedAt: (item: T) => string;
  /** Whether an item, as it is now, belongs in the list (a request decided meanwhile leaves the pending ones). */
  belongs?: (item: T) => boolean;
  /** The list's order, for the live items kept beside a first page's answer. */
  order?: (a: T, b: T) => number;
}

export function usePagedList<T extends { id: string }>(readPage: (after: string | null) => Promise<PageOf<T>>, live?: LiveListOptions<T>) {
  const items = ref<T[]>([]) as Ref<T[]>;
  const hasMore = ref(false);
  const loading = ref(true);
  const error = ref<ApiError | null>(null);
  let cursor: string | null = null;
  /** The newest version heard of each item, and when (a count of live updates) it was heard. */
  const latest = new Map<string, { item: T; at: number }>();
  let heardCount = 0;

  const newer = (a: T, b: T) => (live ? Date.parse(live.changedAt(a)) > Date.parse(live.changedAt(b)) : false);

  /** A live version of an item: wins over any answer older than it, read before or after. */
  function heard(item: T): void {
    const known = latest.get(item.id);
    heardCount++;
    if (!known || !newer(known.item, item)) latest.set(item.id, { item, at: heardCount });
  }

  /** The answer's node, or the newer version heard. */
  const newest = (node: T) => {
    const known = latest.get(node.id)?.item;
    return known && newer(known, node) ? known : node;
  };

  /** Reads a page (the first when `fresh`); returns the items it added. */
  async function read(fresh: boolean): Promise<T[]> {
    loading.value = true;
    const heardBefore = heardCount;
    try {
      const { edges, pageInfo } = await readPage(fresh ? null : cursor);
      const shown = new Set(fresh ? [] : items.value.map((item) => item.id));
      const answered = edges.map((edge) => newest(edge.node)).filter((node) => live?.belongs?.(node) ?? true);
      const added = answered.filter((node) => !shown.has(node.id));
      if (fresh) {
        const inAnswer = new Set(answered.map((node) => node.id));
        // Placed by a live update while this page was read: kept within the page's range; past its last item, while
        // pages remain, a later page brings it in its place.
        const last = answered.at(-1);
        const withinPage = (item: T) => !pageInfo.hasNextPage || !live?.order || last === undefined || live.order(item, last) <= 0;
        const placedMeanwhile = items.value.filter((item) => (latest.get(item.id)?.at ?? 0) > heardBefore && !inAnswer.has(item.id) && withinPage(item));
        const merged = [...added, ...placedMeanwhile];
        items.value = live?.order ? merged.sort(live.order) : merged;
      } else {
        items.value = [...items.value, ...added];
      }
      cursor = pageInfo.endCursor ?? null;
      hasMore.value = pageInfo.hasNextPage;
      error.value = null;
      return added;
    } catch (caught) {
      error.value = asApiError(caught);
      return [];
    } finally {
      loading.value = false;
    }
  }

  return { items, hasMore, loading, error, heard, reload: () => read(true), more: () => read(false) };
}
