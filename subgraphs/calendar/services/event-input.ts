/** Mutation input as services take it, and how it merges into an event draft. */
import { badInput } from '../../../platform/errors.js';
import type { EventTypeName } from '../models.js';
import type { EventDraft } from './event-draft.js';
import { isGuestAddress } from './guest-address.js';

export interface EventInput {
  title?: string | null;
  start?: Date | null;
  end?: Date | null;
  allDay?: boolean | null;
  timezone?: string | null;
  recurrenceRule?: string | null;
  description?: string | null;
  location?: string | null;
  participantIds?: readonly string[] | null;
  externalParticipants?: readonly { email: string; name?: string | null }[] | null;
  exdates?: readonly Date[] | null;
  rdates?: readonly Date[] | null;
  eventType?: EventTypeName | null;
  reminderMinutes?: readonly number[] | null;
}

const has = (input: EventInput, key: keyof EventInput) => input[key] !== undefined;

/**
 * Given fields replace the draft's; `null` clears the nullable ones (end,
 * description, location, recurrenceRule, exdates, rdates, reminderMinutes) and is ignored for
 * the others. When only the start moves, the event keeps its duration.
 */
export function mergeInput(draft: EventDraft, input: EventInput): EventDraft {
  const next: EventDraft = { ...draft };
  if (input.title != null) next.title = input.title;
  if (input.start != null) {
    next.start = input.start;
    if (!has(input, 'end') && draft.end) next.end = new Date(input.start.getTime() + (draft.end.getTime() - draft.start.getTime()));
  }
  if (has(input, 'end')) next.end = input.end ?? null;
  if (input.allDay != null) next.allDay = input.allDay;
  if (input.timezone != null) next.timezone = input.timezone;
  if (has(input, 'recurrenceRule')) next.recurrenceRule = input.recurrenceRule || null;
  if (has(input, 'description')) next.description = input.description ?? null;
  if (has(input, 'location')) next.location = input.location ?? null;
  if (has(input, 'exdates')) next.exdates = input.exdates ?? [];
  if (has(input, 'rdates')) next.rdates = input.rdates ?? [];
  // null: back to each person's defaults.
  if (has(input, 'reminderMinutes')) next.reminderMinutes = input.reminderMinutes ?? null;
  return next;
}

/** A single occurrence has no rule and no participants of its own. */
export function refuseSeriesFields(input: EventInput): void {
  for (const key of ['recurrenceRule', 'exdates', 'rdates', 'participantIds', 'externalParticipants'] as const) {
    if (has(input, key)) throw badInput(`${key} belongs to the whole series: use scope ALL or THIS_AND_FOLLOWING`, key);
  }
}

export const changesParticipants = (input: EventInput) => has(input, 'participantIds') || has(input, 'externalParticipants');

export function checkedExternals(input: EventInput): { email: string; name: string | null }[] {
  return (input.externalParticipants ?? []).map(({ email, name }) => {
    const trimmed = email.trim();
    if (!isGuestAddress(trimmed)) throw badInput(`"${email}" is not an e-mail address`, 'externalParticipants');
    return { email: trimmed, name: name?.trim() || null };
  });
}
