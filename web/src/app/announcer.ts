/**
 * What a screen reader says of changes that are otherwise only seen: a class
 * going live or ending, an upload's progress, saving and saved. One polite
 * log region (App.vue) is in the page from the start: a live region that
 * appears with its text already in it is often not read at all, and a list
 * marked live would read every tick of its countdowns.
 */
import { ref } from 'vue';

export interface Announcement {
  id: number;
  text: string;
}

/** The latest few: a log region reads what is added; older lines go, unread again. */
export const announcements = ref<Announcement[]>([]);
let next = 0;

export function announce(text: string): void {
  announcements.value = [...announcements.value, { id: next++, text }].slice(-5);
}
