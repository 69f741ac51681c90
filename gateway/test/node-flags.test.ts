/**
 * The gateway's and the subgraphs' V8 flags are spelled out where a file cannot import them: they must stay
 * those of gateway/node-flags.ts and platform/subgraph/node-flags.ts.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../platform/paths.js';
import { SUBGRAPH_NODE_FLAGS } from '../../platform/subgraph/node-flags.js';
import { GATEWAY_NODE_FLAGS } from '../node-flags.js';

const read = (file: string) => readFileSync(path.join(REPO_ROOT, file), 'utf8');

describe('the gateway launch commands', () => {
  it('carry gateway/node-flags.ts in the Dockerfile and in npm run start:gateway', () => {
    const cmd = /^CMD (\[.*\])$/m.exec(read('Dockerfile'))?.[1];
    // The image runs the compiled gateway (npm run build).
    expect(JSON.parse(cmd!)).toEqual(['node', ...GATEWAY_NODE_FLAGS, 'dist/gateway/main.js']);
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    expect(scripts['start:gateway']).toBe(['node', ...GATEWAY_NODE_FLAGS, '--import', 'tsx', 'gateway/main.ts'].join(' '));
  });

  it('carry platform/subgraph/node-flags.ts in docker-compose.yml and in npm run start:subgraph', () => {
    const commands = [...read('docker-compose.yml').matchAll(/^\s*command: (\[.*start-subgraph.*\])$/gm)].map((match) => JSON.parse(match[1]!));
    expect(commands).toHaveLength(5);
    for (const command of commands) expect(command).toEqual(['node', ...SUBGRAPH_NODE_FLAGS, 'dist/scripts/start-subgraph.js']);
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    expect(scripts['start:subgraph']).toBe(['node', ...SUBGRAPH_NODE_FLAGS, '--import', 'tsx', 'scripts/start-subgraph.ts'].join(' '));
  });
});

describe('the launch flags', () => {
  // V8 drops flags between releases, and node refuses to start on one it does not know ("bad option"): run the
  // tests under a new release (`<node> node_modules/vitest/vitest.mjs run ...`) before moving the image to it.
  it.each([
    ['gateway', GATEWAY_NODE_FLAGS],
    ['subgraphs', SUBGRAPH_NODE_FLAGS],
  ])("of the %s are known to the node running the tests (the image's release when run under it)", (_, flags) => {
    expect(execFileSync(process.execPath, [...flags, '-e', 'process.stdout.write("started")'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })).toBe('started');
  });
});
