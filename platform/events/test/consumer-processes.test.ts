import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKysely } from '../../database/connection.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { createHandledTable, deferred, handledRows, publishTasks, waitFor, within } from './event-test-support.js';

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'consumer-process.ts');

interface ConsumerProcess {
  name: string;
  child: ChildProcess;
  held: number[];
  handling: string[];
  blocked: Promise<string>;
  exited: Promise<void>;
}

let database: TestDatabase;
let db: Kysely<any>;
let scratch: string;
const children: ConsumerProcess[] = [];
// Two processes of one group, for both tests (in this order: the second kills one of them).
const blockKey = randomUUID();
let a: ConsumerProcess;
let b: ConsumerProcess;

beforeAll(async () => {
  database = await createTestDatabase({ seeded: false });
  db = createKysely(database.url);
  await createHandledTable(db);
  scratch = mkdtempSync(path.join(tmpdir(), 'bheem-events-'));
  a = spawnConsumer('a', { group: 'shared', blockKey });
  b = spawnConsumer('b', { group: 'shared', blockKey });
});
afterAll(async () => {
  for (const { child, exited } of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.disconnect();
    await within(exited, 60_000, 'a consumer process to exit');
  }
  rmSync(scratch, { recursive: true, force: true });
  await database?.drop();
});

function spawnConsumer(name: string, options: { group: string; blockKey?: string }): ConsumerProcess {
  const child = fork(FIXTURE, [JSON.stringify({ databaseUrl: database.url, name, blockMarkerFile: path.join(scratch, `${options.group}.blocked`), ...options })], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const blocked = deferred<string>();
  const exited = deferred<void>();
  const process: ConsumerProcess = { name, child, held: [], handling: [], blocked: blocked.promise, exited: exited.promise };
  child.on('message', (message: any) => {
    if (message.type === 'held') process.held = message.partitions;
    if (message.type === 'handling') process.handling.push(message.id);
    if (message.type === 'blocked') blocked.resolve(message.id);
  });
  child.on('exit', () => exited.resolve());
  children.push(process);
  return process;
}

const bothHoldPartitions = (a: ConsumerProcess, b: ConsumerProcess) =>
  waitFor('both processes to hold partitions', async () => a.held.length > 0 && b.held.length > 0 && a.held.length + b.held.length === 8);

describe('consumer processes of one group', () => {
  it('share the work, and no event is handled twice', async () => {
    await bothHoldPartitions(a, b);
    expect(a.held.filter((partition) => b.held.includes(partition))).toEqual([]);
    const ids = await publishTasks(db, 200, undefined, 10);
    const rows = await waitFor('200 handled events', async () => {
      const found = await handledRows(db);
      return found.length >= 200 && found;
    });
    expect(rows).toHaveLength(200);
    expect(new Set(rows.map((row) => row.event_id))).toEqual(new Set(ids));
    expect(rows.filter((row) => row.consumer === 'a').length).toBeGreaterThan(20);
    expect(rows.filter((row) => row.consumer === 'b').length).toBeGreaterThan(20);
    expect(a.handling.length + b.handling.length).toBe(200);
  });

  it('re-delivers the event of a process killed mid-handler, with its effect applied once', async () => {
    await bothHoldPartitions(a, b);
    const before = await publishTasks(db, 20);
    const [stuck] = await publishTasks(db, 1, () => blockKey);
    const blockedId = await within(Promise.race([a.blocked, b.blocked]), 60_000, 'a handler to block');
    expect(blockedId).toBe(stuck);
    const victim = a.handling.includes(stuck!) ? a : b;
    const survivor = victim === a ? b : a;
    victim.child.kill('SIGKILL');
    await victim.exited;
    const after = await publishTasks(db, 20);
    const all = [...before, stuck!, ...after];
    const rows = await waitFor('every event handled', async () => {
      const found = await handledRows(db);
      return all.every((id) => found.some((row) => row.event_id === id)) && found;
    });
    // Handled twice (once by the victim, once more by the survivor), applied once: the victim's write rolled back.
    expect(survivor.handling.filter((id) => id === stuck)).toHaveLength(1);
    expect(victim.handling.filter((id) => id === stuck)).toHaveLength(1);
    expect(rows.filter((row) => row.event_id === stuck)).toEqual([{ event_id: stuck, consumer: survivor.name }]);
    expect(rows.filter((row) => all.includes(row.event_id))).toHaveLength(all.length);
    await waitFor('the survivor to take every partition', async () => survivor.held.length === 8);
  });
});
