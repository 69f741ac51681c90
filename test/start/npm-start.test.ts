/**
 * `npm start` as a new user runs it, on a new DATA_DIR: the query it prints
 * answers with the demo data, and Ctrl-C (SIGINT) stops every process of the
 * stack and exits 0. The subgraphs run in the start process, each on an Apollo
 * Server that, outside NODE_ENV=test, adds signal handlers of its own: they
 * stopped their server and sent the signal again, which the start took for a
 * second Ctrl-C and exited 1 mid-stop. Ctrl-C in a terminal signals the
 * whole process group: the embedded PostgreSQL, in that group, stopped at
 * once, under subgraphs still stopping, whose event consumers then logged
 * "the database system is shutting down". Closing the terminal (SIGHUP) stops it all too, PostgreSQL included.
 * Waits follow the start's output.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BANNER_END, spawnStart } from './spawn-start.js';

/** The processes in process group `group`. */
function processesInGroup(group: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses, so read after its last ')'.
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) === group;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Processes whose command line names `text`. */
function processesNaming(text: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('npm start on a new DATA_DIR', () => {
  it('prints a query that answers with data, and Ctrl-C stops everything with exit code 0', async () => {
    // In a process group of its own, as a terminal runs it.
    const start = await spawnStart({}, { detached: true });
    await start.bannerOrExit;
    const output = start.output();
    expect(output).toContain(BANNER_END);

    const token = /demo administrator[^\n]*\n(\S+)\n/.exec(output)?.[1];
    const query = /-d '(\{"query".*\})'/.exec(output)?.[1];
    const answer = await fetch(`http://localhost:${start.ports.GATEWAY_PORT}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: query,
    }).then((response) => response.json() as Promise<{ data?: { courses: { fullname: string; liveClasses: unknown[] }[] }; errors?: unknown }>);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.courses.length).toBeGreaterThan(0);
    expect(answer.data!.courses.some((course) => course.liveClasses.length > 0)).toBe(true);

    // Ctrl-C: SIGINT to every process of the group. The stop says nothing more: no warning, no error.
    process.kill(-start.child.pid!, 'SIGINT');
    const [code, signal] = await start.exited;
    const stopping = start.output().slice(start.output().indexOf('Stopping'));
    expect({ code, signal, output: stopping }).toEqual({ code: 0, signal: null, output: 'Stopping Bheem Federation...\n' });
    // Every process of the group (the gateway's included) and PostgreSQL (whose command line names DATA_DIR) are gone.
    expect(processesInGroup(start.child.pid!)).toEqual([]);
    expect(processesNaming(start.dataDir)).toEqual([]);

    // The next start on the same DATA_DIR, then its terminal closed: SIGHUP to the group. PostgreSQL, in a session
    // of its own, does not get it: the start must stop it, or it would run on with no terminal.
    const again = await spawnStart({}, { detached: true, dataDir: start.dataDir });
    expect(await again.bannerOrExit).toBe('banner');
    process.kill(-again.child.pid!, 'SIGHUP');
    await again.exited;
    expect(processesInGroup(again.child.pid!)).toEqual([]);
    expect(processesNaming(start.dataDir)).toEqual([]);
  }, 900_000);
});
