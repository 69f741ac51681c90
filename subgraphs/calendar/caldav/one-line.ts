/**
 * A one-line value (a title, a location, a name) as GraphQL would take it:
 * without line breaks. iCalendar TEXT may hold them (an escaped \n, or ^n in
 * a parameter, RFC 6868), and apps do write them; GraphQL refuses them in such
 * fields (platform/graphql/text-input.ts) since a line break there can end a
 * line of a header or a log. Each run of breaks becomes one space.
 */
export const oneLine = (value: string) => value.replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' ').trim();

/** oneLine, cut to at most `max` characters (code points: an emoji is not split), an ellipsis saying where. */
export function oneLineWithin(value: string, max: number): string {
  const line = oneLine(value);
  const characters = Array.from(line);
  return characters.length > max ? `${characters.slice(0, max - 1).join('')}\u2026` : line;
}
