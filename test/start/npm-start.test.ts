/**
 * `npm start` as a new user runs it, on a new DATA_DIR: the query it prints
 * answers with the demo data, and Ctrl-C (SIGINT) stops every process of the
 * stack and exits 0. The subgraphs run in the start process, each on an Apollo
 * Server that, outside NODE_ENV=test, adds signal handlers of its own: they
 * stopped their server and sent the signal again, which the start took for a
 * second Ctrl-C and exited 1 mid-stop. Waits follow the start's output.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BANNER_END, spawnStart } from './spawn-start.js';

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
    const start = await spawnStart();
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

    start.child.kill('SIGINT');
    const [code, signal] = await start.exited;
    const stopping = start.output().slice(start.output().indexOf('Stopping'));
    expect({ code, signal, output: stopping }).toEqual({ code: 0, signal: null, output: 'Stopping Bheem Federation...\n' });
    // The gateway and PostgreSQL (whose command lines name DATA_DIR or the compiled gateway of this start) are gone.
    expect(processesNaming(start.dataDir)).toEqual([]);
  }, 900_000);
});
