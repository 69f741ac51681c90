/**
 * An attendee's answer written into a calendar object as text, for a copy
 * the sync cannot read as an event (readable-object.ts refuses it: zone rules,
 * a date before 1900...): RFC 6638 3.2.2.1 lets an attendee change only their
 * own ATTENDEE's PARTSTAT (and the scheduling parameters of it), so that is
 * all that changes. Every other byte of the organiser's object stays as it
 * is: only the owner's ATTENDEE lines are rewritten (unfolded, PARTSTAT set
 * in place or added, folded again at 75 octets with the object's own line
 * ending), nothing is parsed beyond component nesting and those lines.
 *
 * Which VEVENTs: the owner's ATTENDEE in each VEVENT without RECURRENCE-ID
 * (the series, or a single event) takes the series answer. An override's
 * ATTENDEE is left as it stands unless `overrides` is set (the owner gave no
 * answer to single occurrences here) and it says what the series said
 * before: it followed the series' answer, and follows the new one. RSVP is
 * the organiser's request for an answer and stays. An ATTENDEE inside a
 * VALARM (whom an e-mail alarm goes to) is no participant and is left.
 */
import { addressOf } from './attendees.js';

export type AnswerInText = { kind: 'written'; data: string } | { kind: 'unchanged' } | { kind: 'not-invited' };

interface Line {
  /** Where the logical line starts and ends (its line ending excluded) in the object's text. */
  start: number;
  end: number;
  /** Unfolded (RFC 5545 3.1). */
  text: string;
}

/** The logical lines of `data`, each with its place in the text. */
function logicalLines(data: string): Line[] {
  const lines: Line[] = [];
  const physical = /([^\r\n]*)(\r\n|\n|\r|$)/g;
  let match: RegExpExecArray | null;
  while ((match = physical.exec(data)) !== null && match.index < data.length) {
    const start = match.index;
    const end = start + match[1]!.length;
    const previous = lines.at(-1);
    if (previous && /^[ \t]/.test(match[1]!)) {
      previous.end = end;
      previous.text += match[1]!.slice(1);
    } else lines.push({ start, end, text: match[1]! });
    if (match[2] === '') break;
  }
  return lines;
}

/** A content line's name, its parameters (raw, in order) and its value; quoted parameter values may hold ';' and ':'. */
function split(text: string): { name: string; parameters: string[]; value: string } | null {
  const parts: string[] = [];
  let quoted = false;
  let from = 0;
  for (let at = 0; at < text.length; at++) {
    const char = text[at];
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === ';' || char === ':')) {
      parts.push(text.slice(from, at));
      from = at + 1;
      if (char === ':') return { name: parts[0]!, parameters: parts.slice(1), value: text.slice(from) };
    }
  }
  return null;
}

/** Folds a content line at 75 octets (RFC 5545 3.1), never inside a UTF-8 sequence. */
function folded(line: string, ending: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char);
    const limit = out.length === 0 ? 75 : 74; // a continuation's leading space counts
    if (octets + size > limit) {
      out.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  out.push(current);
  return out.join(`${ending} `);
}

const partstatOf = (parameters: readonly string[]) => {
  const found = parameters.find((parameter) => /^partstat=/i.test(parameter));
  return found ? found.slice('partstat='.length).replace(/^"|"$/g, '').toUpperCase() : 'NEEDS-ACTION';
};

/** `data` with the owner's PARTSTAT set to `partstat` (an RFC 5545 value: ACCEPTED, NEEDS-ACTION...). */
export function answerInText(data: string, ownerEmail: string, partstat: string, options: { overrides: boolean }): AnswerInText {
  const address = ownerEmail.toLowerCase();
  const lines = logicalLines(data);
  const ending = /\r\n|\n|\r/.exec(data)?.[0] ?? '\r\n';
  // The owner's ATTENDEE lines of each VEVENT (its own, not its VALARMs'), and whether it is an override.
  const events: { own: { line: Line; parameters: string[]; rest: string }[]; override: boolean }[] = [];
  const stack: string[] = [];
  for (const line of lines) {
    const content = split(line.text);
    if (!content) continue;
    const name = content.name.toUpperCase();
    if (name === 'BEGIN') {
      stack.push(content.value.trim().toUpperCase());
      if (stack.at(-1) === 'VEVENT') events.push({ own: [], override: false });
      continue;
    }
    if (name === 'END') {
      stack.pop();
      continue;
    }
    if (stack.at(-1) !== 'VEVENT' || events.length === 0) continue;
    const event = events.at(-1)!;
    if (name === 'RECURRENCE-ID') event.override = true;
    if (name === 'ATTENDEE' && addressOf(content.value) === address) event.own.push({ line, parameters: content.parameters, rest: content.value });
  }
  const series = events.filter((event) => !event.override).flatMap((event) => event.own);
  if (series.length === 0) return { kind: 'not-invited' };
  const before = partstatOf(series[0]!.parameters);
  const targets = [
    ...series,
    ...(options.overrides ? events.filter((event) => event.override).flatMap((event) => event.own.filter((own) => partstatOf(own.parameters) === before)) : []),
  ].filter((own) => partstatOf(own.parameters) !== partstat);
  if (targets.length === 0) return { kind: 'unchanged' };
  targets.sort((a, b) => a.line.start - b.line.start);
  let result = '';
  let from = 0;
  for (const { line, parameters, rest } of targets) {
    const name = split(line.text)!.name;
    const at = parameters.findIndex((parameter) => /^partstat=/i.test(parameter));
    const set = [...parameters];
    if (at >= 0) set[at] = `${parameters[at]!.slice(0, 'partstat'.length)}=${partstat}`;
    else set.push(`PARTSTAT=${partstat}`);
    result += data.slice(from, line.start) + folded(`${[name, ...set].join(';')}:${rest}`, ending);
    from = line.end;
  }
  return { kind: 'written', data: result + data.slice(from) };
}
