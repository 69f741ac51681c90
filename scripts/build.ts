/**
 * `npm run build`: compiles the services to JavaScript under `dist/`
 * (lib/compile-services.mjs) and copies the SDL beside them. Production runs
 * `node dist/...` with no transpiler in the process: less memory, a faster
 * start.
 */
import { cpSync, rmSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../platform/paths.js';
import { compileServices, shippedSources } from './lib/compile-services.mjs';

const OUT_DIR = path.join(REPO_ROOT, 'dist');

const started = Date.now();
rmSync(OUT_DIR, { recursive: true, force: true });
const entryPoints = shippedSources(REPO_ROOT);
await compileServices({ repoRoot: REPO_ROOT, outDir: OUT_DIR, entryPoints });
// platform/paths.ts finds the SDL (and the accepted composition hints) at <root>/schema.
cpSync(path.join(REPO_ROOT, 'schema'), path.join(OUT_DIR, 'schema'), { recursive: true });
console.log(`build: ${entryPoints.length} files compiled to ${path.relative(process.cwd(), OUT_DIR) || '.'}/ in ${Date.now() - started} ms`);
