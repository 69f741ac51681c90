/**
 * The services compiled once per version of the sources, for `npm start`:
 * running JavaScript instead of transpiling TypeScript in every process at
 * every start saves about 3 s of CPU and 70 MB per Node process. The copy
 * lives in node_modules/.cache/bheem-start/<hash>, where the hash covers every
 * shipped source file (path and content), this compiler and esbuild's
 * version: any edit gives a new hash, hence a fresh build (about a second),
 * never a stale one. Builds go to a temporary folder renamed into place, so
 * two starts at once each see a whole build.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { version as esbuildVersion } from 'esbuild';
import { compileServices, shippedSources } from './compile-services.mjs';

/** Builds kept besides the current one (another checkout state may still be running). */
const KEPT_BUILDS = 2;

/** Hash of what the compiled copy depends on. */
export function sourcesHash(repoRoot, sources = shippedSources(repoRoot)) {
  const hash = createHash('sha256');
  hash.update(`esbuild ${esbuildVersion}\0${repoRoot}\0`);
  for (const file of [fileURLToPath(new URL('./compile-services.mjs', import.meta.url)), ...sources]) {
    hash.update(`${path.relative(repoRoot, file)}\0`);
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

function pruneOldBuilds(cacheDir, current) {
  const others = readdirSync(cacheDir)
    .filter((name) => name !== current)
    .map((name) => ({ name, at: statSync(path.join(cacheDir, name)).mtimeMs }))
    .sort((a, b) => b.at - a.at);
  for (const { name } of others.slice(KEPT_BUILDS)) rmSync(path.join(cacheDir, name), { recursive: true, force: true });
}

/**
 * The folder holding the compiled services of the checkout at `repoRoot` (compiled now if
 * the sources changed). `onBuild` hears when a build runs, and how long it took.
 */
export async function compiledServices(repoRoot, onBuild = () => {}) {
  const cacheDir = path.join(repoRoot, 'node_modules', '.cache', 'bheem-start');
  const sources = shippedSources(repoRoot);
  const hash = sourcesHash(repoRoot, sources);
  const outDir = path.join(cacheDir, hash);
  if (existsSync(path.join(outDir, 'package.json'))) return { outDir, built: false };

  const started = Date.now();
  onBuild(`compiling ${sources.length} files (the sources changed since the last start)`);
  const staging = `${outDir}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  await compileServices({ repoRoot, outDir: staging, entryPoints: sources, checkout: repoRoot });
  // Inside node_modules the checkout's package.json does not apply: say these files are ES modules. Written last: it marks a whole build.
  writeFileSync(path.join(staging, 'package.json'), '{ "type": "module" }\n');
  try {
    renameSync(staging, outDir);
  } catch (error) {
    // Another start renamed its own build of the same sources first: use that one.
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(path.join(outDir, 'package.json'))) throw error;
  }
  pruneOldBuilds(cacheDir, hash);
  onBuild(`compiled in ${Date.now() - started} ms`);
  return { outDir, built: true };
}
