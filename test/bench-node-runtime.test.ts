/**
 * Which Node.js the bench runs our gateway and subgraphs under
 * (bench/gateway/node-runtime.ts): by default the production image's, read
 * from the Dockerfile; `machine` for the node running the bench. Reads files
 * only: nothing is installed, nothing compiled.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkoutLabel, interleaveOptions } from '../bench/gateway/interleave.js';
import { applyNodeOption, DOCKERFILE, imageNodeVersion, MACHINE_NODE, nodeRuntime } from '../bench/gateway/node-runtime.js';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'bench-node-runtime-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const dockerfile = (name: string, text: string) => {
  const file = path.join(scratch, name);
  writeFileSync(file, text);
  return file;
};

describe("the image's Node.js release", () => {
  it("is the exact version of this checkout's Dockerfile's last FROM line (the stage that runs)", () => {
    const image = imageNodeVersion();
    expect(image).toHaveProperty('version');
    const { version } = image as { version: string };
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    const froms = readFileSync(DOCKERFILE, 'utf8').match(/^FROM .*$/gm)!;
    expect(froms.at(-1)).toMatch(new RegExp(`^FROM node:${version.replaceAll('.', '\\.')}\\b`));
  });

  it('is the last stage of a multi-stage Dockerfile, whatever its flags and variant', () => {
    const file = dockerfile('Dockerfile.stages', 'FROM node:20.20.2 AS build\nRUN npm ci\n\nfrom --platform=linux/amd64 node:24.22.3-bookworm-slim\nCMD ["node"]\n');
    expect(imageNodeVersion(file)).toEqual({ version: '24.22.3' });
  });

  it.each([
    ['a major alone', 'FROM node:22-bookworm-slim\n', /last FROM is "node:22-bookworm-slim", not node:<exact version>/],
    ['another image last', 'FROM node:22.21.1 AS build\nFROM gcr.io/distroless/nodejs22\n', /last FROM is "gcr.io\/distroless\/nodejs22"/],
    ['no FROM line', '# nothing here\n', /has no FROM line/],
  ])('is unknown, with the reason, for %s', (_, text, reason) => {
    const image = imageNodeVersion(dockerfile(`Dockerfile.${text.length}`, text));
    expect(image).toEqual({ reason: expect.stringMatching(reason) });
  });

  it('is unknown when there is no Dockerfile', () => {
    expect(imageNodeVersion(path.join(scratch, 'absent'))).toEqual({ reason: expect.stringMatching(/^no .*absent$/) });
  });
});

describe('the Node.js a bench runs', () => {
  it("falls back to the machine's, saying why, when the Dockerfile names no exact release", async () => {
    const lines: string[] = [];
    const node = await nodeRuntime(undefined, (line) => lines.push(line), dockerfile('Dockerfile.major', 'FROM node:22\n'));
    expect(node).toEqual({ binary: process.execPath, version: process.version, chosen: expect.stringMatching(/^the machine's: .*not node:<exact version>/) });
    expect(lines).toEqual([expect.stringMatching(/the image's Node\.js release is unknown .*: running on the machine's, v\d+/)]);
  });

  it("is the machine's when asked by `machine`, in BENCH_NODE, --node or a checkout's @node", async () => {
    expect(await nodeRuntime('machine', () => {})).toBe(MACHINE_NODE);
    const before = process.env.BENCH_NODE;
    try {
      applyNodeOption(['--only', 'gateway', '--node', 'machine']);
      expect(process.env.BENCH_NODE).toBe('machine');
      expect(() => applyNodeOption(['--node', 'newest'])).toThrow(/neither an exact Node\.js version .* nor "machine"/);
    } finally {
      if (before === undefined) delete process.env.BENCH_NODE;
      else process.env.BENCH_NODE = before;
    }
    const { checkouts } = interleaveOptions([], { BENCH_AB_ROOTS: '/a@nodemachine,/a@node22.21.1,/a@tsx@nodemachine' });
    expect(checkouts).toEqual([
      { root: '/a', form: 'dist', node: 'machine' },
      { root: '/a', form: 'dist', node: '22.21.1' },
      { root: '/a', form: 'tsx', node: 'machine' },
    ]);
    expect(checkouts.map(checkoutLabel)).toEqual(['0:a/dist/nodemachine', '1:a/dist/node22.21.1', '2:a/tsx/nodemachine']);
  });
});
