/**
 * Before each test file (a setup file) of the files that share a worker process (isolate: false saves each
 * file re-importing Apollo, the AWS SDK and the rest of node_modules): the project's own modules evaluated
 * afresh and process.env put back as the worker started, so that no file sees another's module state or
 * environment.
 */
import { vi } from 'vitest';

const START_ENV = Symbol.for('bheem.test.startEnv');
const global = globalThis as { [START_ENV]?: NodeJS.ProcessEnv };
global[START_ENV] ??= { ...process.env };
const startEnv = global[START_ENV];
for (const name of Object.keys(process.env)) if (!(name in startEnv)) delete process.env[name];
Object.assign(process.env, startEnv);
vi.resetModules();
