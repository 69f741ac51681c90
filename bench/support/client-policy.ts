/**
 * How the subscriptions bench schedules its client processes, which share
 * the gateway's cores (clients of a real gateway are on other hosts).
 *
 * `normal` (the default, as the bench always ran): every frame the gateway
 * writes wakes the client process that owns the socket, and that client
 * may preempt the gateway in the middle of its fan-out (0.08 involuntary
 * switches per delivery quiet, 0.24-0.37 at load 20-30), which no remote
 * client causes.
 * `batch`: SCHED_BATCH through Linux's chrt. A batch task keeps its fair
 * share of the cores (the same weight as a normal one) but does not
 * preempt a running task when it is woken.
 * Either way the clients' CPU, and the kernel's loopback work on their
 * behalf, stay on the gateway's cores and in the latency measured.
 */
import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';

export type ClientPolicy = 'normal' | 'batch';

/** BENCH_SUB_CLIENT_POLICY's value; unset means normal. */
export function parseClientPolicy(value: string | undefined): ClientPolicy {
  if (value === undefined || value === '' || value === 'normal') return 'normal';
  if (value === 'batch') return 'batch';
  throw new Error(`BENCH_SUB_CLIENT_POLICY must be normal or batch, not ${JSON.stringify(value)}`);
}

/** Applies `policy` to every thread of the client processes (chrt failing is an error: the run would not be what it says). */
export function scheduleClients(clients: readonly ChildProcess[], policy: ClientPolicy): ClientPolicy {
  if (policy === 'batch') for (const child of clients) execFileSync('chrt', ['--all-tasks', '--batch', '-p', '0', String(child.pid)]);
  return policy;
}

export function describeClientPolicy(policy: ClientPolicy): string {
  return policy === 'batch'
    ? 'SCHED_BATCH (BENCH_SUB_CLIENT_POLICY=batch): a woken client does not preempt the gateway, as clients on other hosts never do; they keep their share of the cores'
    : 'SCHED_OTHER (the default; BENCH_SUB_CLIENT_POLICY=batch for SCHED_BATCH): a client woken by a frame may preempt the gateway mid-fan-out';
}
