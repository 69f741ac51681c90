/**
 * Bheem Core's side of /events/ingest: an event POSTed, signed, to the
 * ERP's ingest route, and (for the calendar's tests) what the calendar's
 * consumer made of it.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { expect } from 'vitest';
import { signIngestRequest } from '../../platform/events/ingest-signature.js';
import type { TestPlatform } from './test-platform.js';

/** Posts one event for the payload's company (`id`: a sender's retry of an event under its id); the answer's status and body. */
export async function postCoreEvent(platform: TestPlatform, topic: string, payload: Record<string, unknown>, id = `core-${randomUUID()}`) {
  const body = JSON.stringify({ id, topic, company_id: payload.company_id, payload });
  const response = await fetch(`${platform.subgraphs.erp!.url.replace(/\/graphql$/, '')}/events/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signIngestRequest(platform.config.eventIngestSecret, body) },
    body,
  });
  return { status: response.status, body: (await response.json()) as any };
}

/** Posts one event, which the ERP takes (202); its id. */
export async function ingestCoreEvent(platform: TestPlatform, topic: string, payload: Record<string, unknown>): Promise<string> {
  const { status, body } = await postCoreEvent(platform, topic, payload);
  expect(status).toBe(202);
  return (body as { eventId: string }).eventId;
}

/** Waits until the calendar's consumer has finished the event: handled, or a dead letter (its error). */
export async function calendarOutcome(platform: TestPlatform, eventId: string): Promise<{ handled: boolean; error: string | null }> {
  for (;;) {
    const letter = (await sql<{ error: string }>`SELECT error FROM events.dead_letters WHERE group_name = 'calendar' AND event_id = ${eventId}`.execute(platform.db)).rows[0];
    if (letter) return { handled: false, error: letter.error };
    if ((await sql`SELECT 1 FROM events.processed WHERE group_name = 'calendar' AND event_id = ${eventId}`.execute(platform.db)).rows.length > 0)
      return { handled: true, error: null };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
