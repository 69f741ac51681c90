/**
 * A list read a page at a time from one of the API's connections (README
 * "Paging"): `reload` reads the first page again, `more` the next after the
 * last cursor. Items already shown are not repeated (one added by the page
 * itself, say, that a later page also holds). `items` stays the caller's to
 * change (a decided request leaves, a cancelled one changes in place).
 */
import { ref, type Ref } from 'vue';
import { asApiError, type ApiError } from './api';

/** How many items a page of a list asks for: a screenful on a phone. */
export const PAGE_SIZE = 10;

export interface PageOf<T> {
  edges: { node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

export function usePagedList<T extends { id: string }>(readPage: (after: string | null) => Promise<PageOf<T>>) {
  const items = ref<T[]>([]) as Ref<T[]>;
  const hasMore = ref(false);
  const loading = ref(true);
  const error = ref<ApiError | null>(null);
  let cursor: string | null = null;

  /** Reads a page (the first when `fresh`); returns the items it added. */
  async function read(fresh: boolean): Promise<T[]> {
    loading.value = true;
    try {
      const { edges, pageInfo } = await readPage(fresh ? null : cursor);
      const shown = new Set(fresh ? [] : items.value.map((item) => item.id));
      const added = edges.map((edge) => edge.node).filter((node) => !shown.has(node.id));
      items.value = fresh ? added : [...items.value, ...added];
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

  return { items, hasMore, loading, error, reload: () => read(true), more: () => read(false) };
}
