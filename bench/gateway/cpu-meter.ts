/**
 * CPU of the whole request, not only the gateway's: the gateway's process
 * tree, each subgraph's, and PostgreSQL's backends serving the bench's
 * database (found through pg_stat_activity, read from /proc like the rest).
 * Read before and after a run; the difference per request says where an
 * operation's cost lies. A backend that exits during a run loses its share,
 * so the subgraphs' pools are kept open (they are, between runs).
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
  return {
    async read(gatewayPid) {
      // One scan of /proc for every tree (each scan reads every process's stat).
      const seconds = treesCpuSeconds({ gateway: gatewayPid, ...subgraphPids });
      const reading: CpuReading = Object.fromEntries(Object.entries(seconds).map(([role, cpuSeconds]) => [role, cpuSeconds * 1000]));
      reading.postgres = (await backendPids()).reduce((sum, pid) => sum + (processCpuMs(pid) ?? 0), 0);
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
