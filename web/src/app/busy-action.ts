/**
 * One action at a time behind a component's buttons: `busy` (the buttons'
 * aria-disabled) and `error` (its ErrorBanner). `run` ignores a click while
 * an action is under way, so an aria-disabled button, which still fires,
 * does nothing; a failure lands in `error` in words. Clearing `error` stays
 * with each action: some clear it before the request, most after it, just
 * before they announce the outcome.
 */
import { ref } from 'vue';
import { type ApiError, asApiError } from './api';

export function useBusyAction() {
  const busy = ref(false);
  const error = ref<ApiError | null>(null);

  async function run(action: () => Promise<unknown>): Promise<void> {
    if (busy.value) return;
    busy.value = true;
    try {
      await action();
    } catch (caught) {
      error.value = asApiError(caught);
    } finally {
      busy.value = false;
    }
  }

  return { busy, error, run };
}
