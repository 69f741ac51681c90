import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Set by `npm start`'s compiled copy of the sources (scripts/lib/compile-services.mjs), which runs from a cache folder. */
declare const COMPILED_FROM_CHECKOUT: string | undefined;

/** The checkout (or the image's dist/): where schema/, README.md and web/dist are. */
export const REPO_ROOT = typeof COMPILED_FROM_CHECKOUT === 'string' ? COMPILED_FROM_CHECKOUT : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function schemaPath(name: string): string {
  return path.join(REPO_ROOT, 'schema', `${name}.graphql`);
}

export function readSchemaFile(name: string): string {
  return readFileSync(schemaPath(name), 'utf8');
}
