/**
 * CPU time used by the PostgreSQL backends of one database (ms), read from
 * /proc: a benchmark's database costs are then told apart from those of the
 * other databases on the same, shared server. Undefined when the server is
 * not on this machine (or /proc cannot be read).
 */
import { sql, type Kysely } from 'kysely';
import { processCpuMs } from '../../platform/process-stats.js';

export type BackendCpu = Map<number, number>;

/** The CPU time so far of every backend connected to the database now. */
export async function backendCpu(db: Kysely<any>): Promise<BackendCpu | undefined> {
  const { rows } = await sql<{ pid: number }>`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`.execute(db);
  const usage: BackendCpu = new Map();
  for (const { pid } of rows) {
    const ms = processCpuMs(pid);
    if (ms === undefined) return undefined;
    usage.set(pid, ms);
  }
  return usage;
}

/** CPU time (ms) the database's backends used between two readings (backends that ended in between are missed). */
export function backendCpuSince(before: BackendCpu | undefined, after: BackendCpu | undefined): number | undefined {
  if (!before || !after) return undefined;
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}
