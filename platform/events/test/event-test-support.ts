/** Shared by the event backbone's tests: valid payloads, a handled-events table, waiting on conditions. */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { DEMO_COMPANIES } from '../../demo/demo-ids.js';
import { publishEvent } from '../publish-event.js';

export const COMPANY_ID = DEMO_COMPANIES.bheem.id;

/** A valid `project.task.created` payload (the ERP contract). */
export function taskPayload(overrides: Record<string, unknown> = {}) {
  const now = new Date().toISOString();
  return {
    company_id: COMPANY_ID,
    actor_id: '2',
    task_id: randomUUID(),
    task_name: 'Prepare the syllabus',
    description: null,
    status: 'TODO',
    due_date: '2026-03-01T00:00:00.000Z',
    project_id: randomUUID(),
    project_name: 'Semester planning',
    assignee_id: '3',
    created_at: now,
    updated_at: now,
    ...overrides,
  };
}

/** Publishes `project.task.created` events, `perTransaction` to a transaction; returns their ids in order. */
export async function publishTasks(db: Kysely<any>, count: number, key?: (index: number) => string, perTransaction = 1): Promise<string[]> {
  const ids: string[] = [];
  while (ids.length < count) {
    const size = Math.min(perTransaction, count - ids.length);
    await db.transaction().execute(async (trx) => {
      for (let index = 0; index < size; index += 1) {
        const payload = taskPayload();
        const entityKey = key?.(ids.length) ?? payload.task_id;
        const { id } = await publishEvent(trx, { topic: 'project.task.created', companyId: COMPANY_ID, key: entityKey, payload, source: 'erp' });
        ids.push(id);
      }
    });
  }
  return ids;
}

/** Where handlers record what they did: no unique key, so a double would show. */
export async function createHandledTable(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE IF NOT EXISTS public.handled (event_id uuid NOT NULL, consumer text NOT NULL, handled_at timestamptz NOT NULL DEFAULT now())`.execute(db);
}

/** A handler's record of handling `eventId`, in its transaction (`trx`). */
export async function markHandled(trx: Kysely<any>, eventId: string, consumer: string): Promise<void> {
  await sql`INSERT INTO public.handled (event_id, consumer) VALUES (${eventId}, ${consumer})`.execute(trx);
}

export async function handledRows(db: Kysely<any>): Promise<{ event_id: string; consumer: string }[]> {
  const { rows } = await sql<{ event_id: string; consumer: string }>`SELECT event_id, consumer FROM public.handled`.execute(db);
  return rows;
}

/**
 * Re-checks a condition on every tick of the event loop's timers until it holds, or fails after
 * `timeoutMs`: a bound for a condition that never comes, generous so that a busy machine only slows it.
 */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Rejects when the promise does not settle in time. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms: ${what}`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** A valid `meet.class.*` payload. */
export function classPayload(overrides: Record<string, unknown> = {}) {
  return { company_id: COMPANY_ID, live_class_id: randomUUID(), course_id: '101', title: 'Optics', status: 'LIVE', ...overrides };
}

/** Takes the next `count` events of an iterator, failing after `timeoutMs`. */
export async function take<T>(iterator: AsyncIterator<T>, count: number, timeoutMs = 10_000): Promise<T[]> {
  const taken: T[] = [];
  while (taken.length < count) {
    const result = await within(iterator.next(), timeoutMs, `event ${taken.length + 1} of ${count}`);
    if (result.done) throw new Error(`The iterator ended after ${taken.length} of ${count} events`);
    taken.push(result.value);
  }
  return taken;
}
