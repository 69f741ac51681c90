/**
 * Grafbase's federation gateway, the compiled (Rust) peer. Its CLI ships as a
 * 100 MB binary inside an npm package, too large for every `npm ci`: the
 * bench installs it on first use into .data/bench-cache (kept between runs)
 * and runs `grafbase dev` with a grafbase.toml written for the run: each
 * subgraph's URL and SDL file, and the client's Authorization header
 * forwarded to every subgraph (they accept peers' bearer tokens in the bench).
 *
 * What dev mode cannot switch off: it serves its explorer UI at `/`, watches
 * the configuration and schema files, and composes the supergraph itself
 * from the subgraphs' SDL (the same files ours is composed from).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { SubgraphName } from '../../../platform/config.js';
import { REPO_ROOT, schemaPath } from '../../../platform/paths.js';

export const GRAFBASE_PACKAGE = '@grafbase/cli-x86_64-unknown-linux-musl';
export const GRAFBASE_VERSION = '0.103.0';

const CACHE = path.join(REPO_ROOT, '.data/bench-cache/grafbase');

export const grafbaseBinary = () => path.join(CACHE, 'node_modules', GRAFBASE_PACKAGE, 'grafbase');

/** Installs the CLI into the cache unless this version is already there. */
export async function ensureGrafbase(print: (line: string) => void): Promise<void> {
  if (existsSync(grafbaseBinary())) return;
  if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error(`Grafbase's CLI package is for linux x64; this is ${process.platform} ${process.arch}`);
  print(`  installing ${GRAFBASE_PACKAGE}@${GRAFBASE_VERSION} (about 100 MB, once) into ${path.relative(REPO_ROOT, CACHE)}`);
  mkdirSync(CACHE, { recursive: true });
  await promisify(execFile)('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', CACHE, `${GRAFBASE_PACKAGE}@${GRAFBASE_VERSION}`], { cwd: CACHE });
}

/** grafbase.toml for the run, in the scratch directory. */
export function writeGrafbaseConfig(dir: string, subgraphUrls: Record<SubgraphName, string>): string {
  const subgraphs = Object.entries(subgraphUrls).map(([name, url]) => `[subgraphs.${name}]\nurl = ${JSON.stringify(url)}\nschema_path = ${JSON.stringify(schemaPath(name))}\n`);
  const file = path.join(dir, 'grafbase.toml');
  writeFileSync(file, [...subgraphs, '[[headers]]\nrule = "forward"\nname = "authorization"\n'].join('\n'));
  return file;
}
