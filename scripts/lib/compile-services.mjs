/**
 * The services compiled to JavaScript by esbuild, one file per source file
 * (no bundle: node_modules stay external, stack traces keep their file
 * names). `npm run build` compiles them to dist/ for the image; `npm start`
 * to a cache keyed by the sources (compiled-cache.mjs). Plain JavaScript, so
 * that `npm start` needs no TypeScript loader to get here. esbuild only strips
 * types: type checking stays with `tsc -p .` (`npm test`).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { build, stop } from 'esbuild';

/** What production runs: the services, their shared plumbing and their scripts. Tests and benches stay out. */
export const SOURCE_ROOTS = ['platform', 'gateway', 'subgraphs', 'scripts'];

function isShipped(file) {
  return file.endsWith('.ts') && !file.endsWith('.d.ts') && !file.endsWith('.test.ts') && !file.split(path.sep).includes('test');
}

function sourcesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourcesUnder(full);
    return isShipped(full) ? [full] : [];
  });
}

/** Every shipped source file of the checkout at `repoRoot`, sorted (absolute paths). */
export function shippedSources(repoRoot) {
  return SOURCE_ROOTS.flatMap((root) => sourcesUnder(path.join(repoRoot, root))).sort();
}

/**
 * Compiles `entryPoints` (from shippedSources) under `outDir`, keeping their paths relative to
 * `repoRoot`. `checkout`: where the compiled copy finds the checkout's files (schema/, README.md,
 * web/dist) when it runs from elsewhere; without it they are looked for beside the output.
 */
export async function compileServices({ repoRoot, outDir, entryPoints, checkout }) {
  await build({
    entryPoints,
    outdir: outDir,
    outbase: repoRoot,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
    // platform/paths.ts reads this constant when it is defined.
    define: checkout ? { COMPILED_FROM_CHECKOUT: JSON.stringify(checkout) } : {},
  });
  // esbuild's service process (about 150 MB) would otherwise live as long as this one.
  await stop();
}
