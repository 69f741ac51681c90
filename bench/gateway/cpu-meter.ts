/**
 * CPU of the whole request, not only the gateway's: the gateway's process
 * tree, each subgraph's, and PostgreSQL's backends serving the bench's
 * database (found through pg_stat_activity, read from /proc like the rest).
 * Read before and after a run; the difference per request says where an
 * operation's cost lies.
 *
 * PostgreSQL's figure only grows: a backend that has exited (a pool closing
 * an idle connection, as the subgraphs' do while another gateway starts)
 * keeps the CPU it had at the last reading that saw it. Summing only the
 * backends alive at each reading read Grafbase's lookup at 0 ms of
 * PostgreSQL in the bench of 2026-12-06 03:40: the academy's pool had closed
 * connections that the reading before the run had counted.
 */
import pg from 'pg';
import { processCpuMs, treesCpuSeconds } from '../../platform/process-stats.js';

export type CpuReading = Record<string, number>;

export interface CpuMeter {
  /** CPU milliseconds so far of each role (`gateway`, each subgraph, `postgres`). */
  read(gatewayPid: number): Promise<CpuReading>;
  close(): Promise<void>;
}

export async function startCpuMeter(subgraphPids: Record<string, number>, databaseUrl: string): Promise<CpuMeter> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const backendPids = async () =>
    (await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()')).rows.map((row) => row.pid);
  // Each backend's CPU at the last reading, and what the backends gone since then had.
  let lastSeen = new Map<number, number>();
  let exited = 0;
  const postgresCpuMs = async () => {
    const seen = new Map<number, number>();
    for (const pid of await backendPids()) {
      const ms = processCpuMs(pid);
      if (ms !== undefined) seen.set(pid, ms);
    }
    // Gone, or its pid reused by a newer backend (whose CPU starts again from 0).
    for (const [pid, ms] of lastSeen) if ((seen.get(pid) ?? -1) < ms) exited += ms;
    lastSeen = seen;
    let alive = 0;
    for (const ms of seen.values()) alive += ms;
    return exited + alive;
  };
  return {
    async read(gatewayPid) {
      // One scan of /proc for every tree (each scan reads every process's stat).
      const seconds = treesCpuSeconds({ gateway: gatewayPid, ...subgraphPids });
      const reading: CpuReading = Object.fromEntries(Object.entries(seconds).map(([role, cpuSeconds]) => [role, cpuSeconds * 1000]));
      reading.postgres = await postgresCpuMs();
      return reading;
    },
    close: () => client.end(),
  };
}

/** CPU ms per request of each role between two readings, with their total. */
export function cpuPerRequest(before: CpuReading, after: CpuReading, requests: number): CpuReading {
  const perRequest: CpuReading = {};
  let total = 0;
  for (const [role, end] of Object.entries(after)) {
    const spent = Math.max(0, end - (before[role] ?? 0)) / Math.max(1, requests);
    perRequest[role] = Math.round(spent * 1000) / 1000;
    total += spent;
  }
  perRequest.total = Math.round(total * 1000) / 1000;
  return perRequest;
}
