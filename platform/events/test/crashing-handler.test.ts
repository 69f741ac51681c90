import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKysely } from '../../database/connection.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { listDeadLetters } from '../dead-letters.js';
import { createHandledTable, deferred, handledRows, publishTasks, waitFor, within } from './event-test-support.js';

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'consumer-process.ts');

let database: TestDatabase;
let db: Kysely<any>;

beforeAll(async () => {
  database = await createTestDatabase({ seeded: false });
  db = createKysely(database.url);
  await createHandledTable(db);
});
afterAll(() => database?.drop());

/** A consumer process; resolves with how it ended: killed by its handler, or still running once `done` holds (then stopped). */
async function runConsumer(name: string, options: object, done: () => Promise<boolean>): Promise<{ killed: boolean; handling: string[] }> {
  const child = fork(FIXTURE, [JSON.stringify({ databaseUrl: database.url, name, ...options })], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const handling: string[] = [];
  child.on('message', (message: any) => {
    if (message.type === 'handling') handling.push(message.id);
  });
  const exited = deferred<NodeJS.Signals | null>();
  let signal: NodeJS.Signals | null | undefined;
  child.on('exit', (_code, exitSignal) => exited.resolve((signal = exitSignal)));
  await waitFor(`${name} to die or finish its work`, async () => signal !== undefined || (await done()));
  if (signal === undefined && child.connected) child.disconnect();
  await within(exited.promise, 60_000, `${name} to exit`);
  return { killed: signal === 'SIGKILL', handling };
}

describe('a handler that kills its process', () => {
  it('uses up its attempts across restarts, then its event is a dead letter and the rest flows', async () => {
    const dieKey = randomUUID();
    const maxAttempts = 3;
    const before = await publishTasks(db, 5);
    const [fatal] = await publishTasks(db, 1, () => dieKey);
    const after = await publishTasks(db, 5);
    const everyOther = [...before, ...after];
    const allHandled = async () => {
      const handled = new Set((await handledRows(db)).map((row) => row.event_id));
      return everyOther.every((id) => handled.has(id));
    };

    let crashes = 0;
    for (let run = 1; run <= maxAttempts + 2; run += 1) {
      const { killed, handling } = await runConsumer(`run-${run}`, { group: 'crashing', dieKey, maxAttempts }, allHandled);
      if (!killed) {
        expect(handling).not.toContain(fatal); // given up on without running it again
        break;
      }
      crashes += 1;
    }
    expect(crashes).toBe(maxAttempts);

    const [letter, ...others] = await listDeadLetters(db, { group: 'crashing' });
    expect(others).toEqual([]);
    expect(letter).toMatchObject({ event: { id: fatal }, attempts: maxAttempts });
    expect(letter!.error).toMatch(/ended while the handler ran/);
    // Every other event applied exactly once, though the crashes rolled some of them back.
    const rows = await handledRows(db);
    for (const id of everyOther) expect(rows.filter((row) => row.event_id === id)).toHaveLength(1);
    expect(rows.filter((row) => row.event_id === fatal)).toEqual([]);
    const counts = await sql<{ n: number }>`SELECT count(*)::int AS n FROM events.delivery_attempts WHERE group_name = 'crashing'`.execute(db);
    expect(counts.rows[0]!.n).toBe(0);
  });
});
