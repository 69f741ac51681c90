/**
 * After a navigation inside the app, focus goes to the new page's heading
 * (its h1), so that a screen reader says where the user now is and Tab goes
 * on from the page's top, not from a link of the page left behind. A page
 * whose heading waits for its data (a course) has main focused meanwhile,
 * and the heading once it shows, unless the user has moved on. The
 * document's title follows the heading. A page load is left alone: the
 * browser reads it from the top, skip link first.
 */
import { nextTick } from 'vue';
import { START_LOCATION, type Router } from 'vue-router';

const APP_NAME = 'Bheem Academy';

export function focusPageOnNavigation(router: Router): void {
  let observer: MutationObserver | undefined;
  router.afterEach(async (to, from, failure) => {
    if (failure || (from !== START_LOCATION && to.path === from.path)) return;
    const moveFocus = from !== START_LOCATION;
    observer?.disconnect();
    await nextTick();
    const main = document.getElementById('main');
    if (!main) return;
    const land = (heading: HTMLElement, focus: boolean) => {
      document.title = `${heading.textContent?.trim()} · ${APP_NAME}`;
      if (!focus) return;
      heading.tabIndex = -1;
      heading.focus();
    };
    const heading = main.querySelector('h1');
    if (heading) return land(heading, moveFocus);
    if (moveFocus) main.focus();
    observer = new MutationObserver(() => {
      const shown = main.querySelector('h1');
      if (!shown) return;
      observer?.disconnect();
      // Focus still where this navigation put it: the user has not moved on meanwhile.
      land(shown, moveFocus && (document.activeElement === main || document.activeElement === document.body));
    });
    observer.observe(main, { childList: true, subtree: true, characterData: true });
  });
}
