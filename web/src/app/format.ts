/** Dates and sizes as a reader expects them, in the browser's locale and time zone. */

/** The browser's IANA zone, in which <input type="datetime-local"> values are read. */
export const browserTimeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** With the zone's name: a class's time is read by people in other zones, and by one who travels. */
export function formatDateTime(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' }) : '';
}

export function formatTime(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleTimeString(undefined, { timeStyle: 'short' }) : '';
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null) return '';
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${String(seconds % 60).padStart(2, '0')}`;
}

/** The value of an <input type="datetime-local"> for a date, in local time. */
export function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/**
 * The instant an <input type="datetime-local"> value names in the browser's
 * zone. A time the zone skips (the hour summer time begins) is refused:
 * Date would move it an hour without a word.
 */
export function fromLocalInput(value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new Error('Enter a date and a time.');
  if (toLocalInput(date) !== value.slice(0, 16))
    throw new Error(`${value.slice(11, 16)} does not exist in ${browserTimeZone} on ${value.slice(0, 10)}: the clocks move forward then. Choose another time.`);
  return date;
}
