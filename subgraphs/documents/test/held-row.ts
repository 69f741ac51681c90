/**
 * A request raced by a write committed while it waits: the test holds a
 * document's row locked (as a mutation mid-transaction would), starts the
 * request, waits until a statement of it waits on that lock
 * (pg_blocking_pids), makes its own change in the same transaction and
 * commits. Answers the request's own answer once it comes.
 */
import { sql, type Kysely, type Transaction } from 'kysely';

export async function whileRowHeld<T>(db: Kysely<any>, documentId: string, request: () => Promise<T>, change: (trx: Transaction<any>) => Promise<void>): Promise<T> {
  let result: Promise<T> | undefined;
  await db.transaction().execute(async (trx) => {
    await sql`select id from documents.documents where id = ${documentId} for update`.execute(trx);
    const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
    const holder = rows[0]!.pid;
    let settled = false;
    result = request();
    result.then(
      () => (settled = true),
      () => (settled = true),
    );
    // Waiting on our lock: the request is past its checks and at its write. (Answered already: it never got there.)
    while (!settled) {
      const waiting = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where ${holder} = any(pg_blocking_pids(pid))`.execute(db);
      if (waiting.rows[0]!.n > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await change(trx);
  });
  return result!;
}
