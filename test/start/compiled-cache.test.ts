/**
 * `npm start` runs the services compiled once per version of the sources
 * (scripts/lib/compiled-cache.mjs): an edit must give a fresh build, never a
 * stale one, and the compiled copy must find the checkout's own files.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../platform/paths.js';
import { compiledServices } from '../../scripts/lib/compiled-cache.mjs';

const checkout = mkdtempSync(path.join(tmpdir(), 'bheem-compiled-cache-'));
afterAll(() => rmSync(checkout, { recursive: true, force: true }));

function write(file: string, text: string): void {
  mkdirSync(path.dirname(path.join(checkout, file)), { recursive: true });
  writeFileSync(path.join(checkout, file), text);
}

const answerOf = async (outDir: string): Promise<unknown> => (await import(pathToFileURL(path.join(outDir, 'platform', 'answer.js')).href)).answer;

describe('the compiled copy of the sources', () => {
  it('is built once per version of the sources and rebuilt when one changes', async () => {
    for (const root of ['gateway', 'subgraphs', 'scripts']) mkdirSync(path.join(checkout, root), { recursive: true });
    write('platform/answer.ts', 'export const answer: number = 41;\n');
    write('platform/test/ignored.test.ts', 'this is not TypeScript and is not shipped\n');

    const first = await compiledServices(checkout);
    expect(first.built).toBe(true);
    expect(await answerOf(first.outDir)).toBe(41);
    expect(await compiledServices(checkout)).toEqual({ outDir: first.outDir, built: false });

    write('platform/answer.ts', 'export const answer: number = 42;\n');
    const second = await compiledServices(checkout);
    expect(second.built).toBe(true);
    expect(second.outDir).not.toBe(first.outDir);
    expect(await answerOf(second.outDir)).toBe(42);
  });

  it("finds the checkout's files (schema/, README.md, web/dist), not in the cache folder", async () => {
    const { outDir } = await compiledServices(REPO_ROOT);
    expect(outDir.startsWith(path.join(REPO_ROOT, 'node_modules', '.cache'))).toBe(true);
    const paths = (await import(pathToFileURL(path.join(outDir, 'platform', 'paths.js')).href)) as typeof import('../../platform/paths.js');
    expect(paths.REPO_ROOT).toBe(REPO_ROOT);
    expect(paths.readSchemaFile('academy')).toBe(readFileSync(path.join(REPO_ROOT, 'schema', 'academy.graphql'), 'utf8'));
  });
});
