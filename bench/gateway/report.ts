/** The gateway benchmark's figures as a table, with ratios of ours to each peer. */
import { GATEWAYS, type GatewayId } from './gateways.js';
import { OPERATIONS, type OperationName } from './operations.js';

export interface RunFigures {
  gateway: GatewayId | 'direct';
  operation: OperationName;
  vus: number;
  /** Whether the gateway ran at all (a peer that cannot start here says why). */
  status: 'ok' | 'failed-to-start';
  reason?: string;
  requests: number;
  errors: number;
  errorSamples: string[];
  requestsPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  /** User + system CPU of the gateway's processes over the run, per request (ms). */
  cpuMsPerRequest: number | null;
  /** CPU ms per request of the gateway, each subgraph, PostgreSQL's backends, and their total. */
  wholeRequestCpuMs?: Record<string, number>;
  /** Requests each subgraph served per operation (bench/gateway/subgraph-requests.ts). */
  subgraphRequests?: Record<string, number>;
}

const pad = (value: string | number, width: number) => String(value).padStart(width);
const fixed = (value: number | null, digits = 2) => (value === null ? '-' : value.toFixed(digits));

export function formatTable(rows: RunFigures[]): string[] {
  const lines: string[] = [];
  const header = `${'gateway'.padEnd(32)} ${pad('req/s', 8)} ${pad('p50 ms', 8)} ${pad('p95 ms', 8)} ${pad('p99 ms', 8)} ${pad('errors', 7)} ${pad('CPU ms/req', 10)}`;
  for (const operation of Object.keys(OPERATIONS) as OperationName[]) {
    const ofOperation = rows.filter((row) => row.operation === operation && row.vus > 1);
    if (ofOperation.length === 0) continue;
    lines.push('', `${OPERATIONS[operation].title} — ${ofOperation[0]!.vus} virtual users`, header);
    for (const row of ofOperation) {
      const label = row.gateway === 'direct' ? 'subgraph directly' : GATEWAYS[row.gateway].label;
      if (row.status !== 'ok') {
        lines.push(`${label.padEnd(32)} could not run: ${row.reason}`);
        continue;
      }
      const wrong = row.errors > 0 ? ' WRONG ANSWERS' : '';
      lines.push(
        `${label.padEnd(32)} ${pad(Math.round(row.requestsPerSecond), 8)} ${pad(fixed(row.latencyMs.p50), 8)} ${pad(fixed(row.latencyMs.p95), 8)} ${pad(fixed(row.latencyMs.p99), 8)} ${pad(row.errors, 7)} ${pad(fixed(row.cpuMsPerRequest, 3), 10)}${wrong}`,
      );
    }
  }
  lines.push(...formatWholeRequest(rows), ...formatSubgraphRequests(rows));
  const single = rows.filter((row) => row.vus === 1 && row.status === 'ok');
  if (single.length > 0) {
    const direct = single.find((row) => row.gateway === 'direct');
    lines.push('', 'one-subgraph lookup, 1 virtual user (latency without queueing)', `${'gateway'.padEnd(32)} ${pad('p50 ms', 8)} ${pad('p99 ms', 8)} ${pad('overhead p50', 13)}`);
    for (const row of single) {
      const label = row.gateway === 'direct' ? 'subgraph directly' : GATEWAYS[row.gateway].label;
      const overhead = direct && row !== direct ? fixed(row.latencyMs.p50 - direct.latencyMs.p50) : '';
      lines.push(`${label.padEnd(32)} ${pad(fixed(row.latencyMs.p50), 8)} ${pad(fixed(row.latencyMs.p99), 8)} ${pad(overhead, 13)}`);
    }
  }
  return lines;
}

export interface Ratio {
  operation: OperationName;
  peer: GatewayId;
  /** ours / peer: above 1 means ours serves more. */
  throughput: number | null;
  /** ours / peer: below 1 means ours costs less CPU per request. */
  cpuPerRequest: number | null;
  /** ours / peer p99: below 1 means ours is faster at the tail. */
  p99: number | null;
  /**
   * cpuPerRequest with each side's gateway CPU divided by PostgreSQL's CPU per request of the same run: PostgreSQL
   * runs the same statements for both (where their subgraph requests match), so it stands for how fast the machine
   * was while each side ran. On this kind of VM the same code reads up to ~2x apart run to run, and the raw ratio
   * with it; this one moved by ~0.2 (bench/README-results.md, session 22).
   */
  cpuPerPostgres: number | null;
  peerCorrect: boolean;
}

/** The gateway's CPU per request over PostgreSQL's, or null without both. */
function perPostgres(row: RunFigures): number | null {
  const postgres = row.wholeRequestCpuMs?.postgres;
  return row.cpuMsPerRequest === null || !postgres ? null : row.cpuMsPerRequest / postgres;
}

export function ratios(rows: RunFigures[]): Ratio[] {
  const result: Ratio[] = [];
  const loaded = rows.filter((row) => row.vus > 1 && row.status === 'ok');
  for (const ours of loaded.filter((row) => row.gateway === 'ours')) {
    for (const peer of loaded.filter((row) => row.operation === ours.operation && row.gateway !== 'ours' && row.gateway !== 'direct')) {
      const divide = (a: number | null, b: number | null) => (a === null || b === null || b === 0 ? null : Math.round((a / b) * 100) / 100);
      result.push({
        operation: ours.operation,
        peer: peer.gateway as GatewayId,
        throughput: divide(ours.requestsPerSecond, peer.requestsPerSecond),
        cpuPerRequest: divide(ours.cpuMsPerRequest, peer.cpuMsPerRequest),
        p99: divide(ours.latencyMs.p99, peer.latencyMs.p99),
        cpuPerPostgres: divide(perPostgres(ours), perPostgres(peer)),
        peerCorrect: peer.errors === 0,
      });
    }
  }
  return result;
}

export function formatRatios(list: Ratio[]): string[] {
  if (list.length === 0) return [];
  const lines = [
    '',
    'ours vs each peer (throughput: >1 ours faster; CPU/request and p99: <1 ours cheaper/faster;',
    "  CPU/pg: each side's gateway CPU over PostgreSQL's in the same run, less swayed by the machine's speed)",
  ];
  lines.push(`${'operation'.padEnd(14)} ${'peer'.padEnd(32)} ${pad('req/s', 7)} ${pad('CPU/req', 8)} ${pad('CPU/pg', 7)} ${pad('p99', 6)}`);
  for (const ratio of list) {
    lines.push(
      `${ratio.operation.padEnd(14)} ${(GATEWAYS[ratio.peer].label + (ratio.peerCorrect ? '' : ' (wrong answers)')).padEnd(32)} ${pad(fixed(ratio.throughput), 7)} ${pad(fixed(ratio.cpuPerRequest), 8)} ${pad(fixed(ratio.cpuPerPostgres), 7)} ${pad(fixed(ratio.p99), 6)}`,
    );
  }
  return lines;
}

/** Where each operation's CPU goes: the gateway, every subgraph and PostgreSQL, per request. */
function formatWholeRequest(rows: RunFigures[]): string[] {
  const measured = rows.filter((row) => row.vus > 1 && row.status === 'ok' && row.wholeRequestCpuMs);
  if (measured.length === 0) return [];
  const roles = Object.keys(measured[0]!.wholeRequestCpuMs!);
  const lines = ['', 'CPU ms per request of the whole request (gateway, each subgraph, PostgreSQL backends)'];
  lines.push(`${'operation'.padEnd(14)} ${'gateway'.padEnd(24)} ${roles.map((role) => pad(role === 'gateway' ? 'gw' : role, 9)).join(' ')} ${pad('total/pg', 9)}`);
  for (const row of measured) {
    const cpu = row.wholeRequestCpuMs!;
    const label = row.gateway === 'direct' ? 'subgraph directly' : GATEWAYS[row.gateway].label;
    const overPostgres = cpu.postgres ? fixed(cpu.total! / cpu.postgres, 1) : '-';
    lines.push(`${row.operation.padEnd(14)} ${label.slice(0, 24).padEnd(24)} ${roles.map((role) => pad(fixed(cpu[role] ?? null, 2), 9)).join(' ')} ${pad(overPostgres, 9)}`);
  }
  return lines;
}

/** How many requests each subgraph served per operation: what planning, batching and merging cost upstream. */
function formatSubgraphRequests(rows: RunFigures[]): string[] {
  const measured = rows.filter((row) => row.vus > 1 && row.status === 'ok' && row.subgraphRequests);
  if (measured.length === 0) return [];
  const names = Object.keys(measured[0]!.subgraphRequests!);
  const lines = ['', 'subgraph requests per operation'];
  lines.push(`${'operation'.padEnd(14)} ${'gateway'.padEnd(24)} ${names.map((name) => pad(name, 9)).join(' ')}`);
  for (const row of measured) {
    const label = row.gateway === 'direct' ? 'subgraph directly' : GATEWAYS[row.gateway].label;
    lines.push(`${row.operation.padEnd(14)} ${label.slice(0, 24).padEnd(24)} ${names.map((name) => pad(fixed(row.subgraphRequests![name] ?? null, 3), 9)).join(' ')}`);
  }
  return lines;
}
