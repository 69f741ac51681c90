/**
 * The visibility horizon of an outbox read: the lowest transaction id that
 * may still add rows to this database's outbox. Every row below it is
 * committed (or gone) and visible to the statement (README.md, "Ordering").
 *
 * Transaction ids and the snapshot's xmin are cluster-wide, so xmin alone
 * would let a long transaction in any other database of the server hold
 * delivery back here. A transaction writes only to the database its session
 * is connected to, so the horizon is the lowest id the snapshot sees running,
 * leaving out those known to belong to another database (the backend_xid of
 * a session connected elsewhere, or a transaction prepared elsewhere), or the
 * snapshot's xmax when none is left.
 *
 * Never too high: the snapshot is taken when the statement starts, before it
 * reads the sessions, so an id of the snapshot's running list that ended in
 * between appears in no session and still counts (the horizon only waits);
 * a session slot reused in between carries a transaction newer than the
 * snapshot, absent from its list. An id's database never changes, so
 * leaving one out is safe whenever it is seen. Hence: run it as a statement
 * of its own (no earlier read of pg_stat_activity in its transaction).
 */
import { sql } from 'kysely';

export const VISIBILITY_HORIZON = sql<string>`coalesce(
  (SELECT min(running) FROM pg_snapshot_xip(pg_current_snapshot()) running
   WHERE running::xid NOT IN (
       SELECT a.backend_xid FROM pg_stat_get_activity(NULL) a
       WHERE a.backend_xid IS NOT NULL AND a.datid <> (SELECT d.oid FROM pg_database d WHERE d.datname = current_database()))
     AND running::xid NOT IN (SELECT p.transaction FROM pg_prepared_xacts p WHERE p.database <> current_database())),
  pg_snapshot_xmax(pg_current_snapshot()))`;
