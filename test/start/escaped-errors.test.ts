/**
 * `npm start` runs the subgraphs in its own process in development: an error
 * escaping from one of them ends the process, and the report must name the
 * subgraph (scripts/lib/escaped-errors.ts). A child process plays the part:
 * its handler is the process's real one, which a test runner would not let
 * an error reach.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../platform/paths.js';

const CHILD = `
import http from 'node:http';
import { describeEscape, onEscapedError, runAsService } from ${JSON.stringify(path.join(REPO_ROOT, 'scripts/lib/escaped-errors.ts'))};

const reports = [];
onEscapedError((escaped) => {
  reports.push(describeEscape(escaped));
  if (reports.length < 3) return;
  console.log(JSON.stringify(reports));
  process.exit(1);
});

// Set going by a subgraph's start, thrown later from a timer.
runAsService('calendar', () => setTimeout(() => { throw new Error('calendar timer broke'); }, 50));
// A subgraph's server, listening from its start as startSubgraph does, whose request handler leaves a
// rejection unhandled; the request comes from outside the subgraph, as a client's does.
const port = await new Promise((resolve) =>
  runAsService('meet', () => {
    const server = http.createServer((request, response) => {
      response.end('ok');
      void Promise.reject(new Error('meet request broke'));
    });
    server.listen(0, '127.0.0.1', () => resolve(server.address().port));
  }),
);
await (await fetch('http://127.0.0.1:' + port + '/')).text();
// Outside every subgraph.
setTimeout(() => { throw new Error('start-up broke'); }, 100);
`;

describe('an error escaping from a subgraph run in the start process', () => {
  it('names the subgraph it came from, says why, and shows where', async () => {
    const exit = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', CHILD], { cwd: REPO_ROOT, timeout: 60_000 }).then(
      () => ({ code: 0, stdout: '' }),
      (error: { code: number; stdout: string }) => error,
    );
    expect(exit.code).toBe(1);
    const reports = (JSON.parse(exit.stdout) as string[][]).sort((a, b) => a[0]!.localeCompare(b[0]!));
    expect(reports.map((lines) => lines[0])).toEqual([
      'an uncaught exception in the calendar subgraph (in this process): Error: calendar timer broke',
      'an uncaught exception in this process, outside any subgraph: Error: start-up broke',
      'an unhandled rejection in the meet subgraph (in this process): Error: meet request broke',
    ]);
    for (const lines of reports) expect(lines[1]).toMatch(/^ {2}at /);
  });
});
