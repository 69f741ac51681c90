import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function schemaPath(name: string): string {
  return path.join(REPO_ROOT, 'schema', `${name}.graphql`);
}

export function readSchemaFile(name: string): string {
  return readFileSync(schemaPath(name), 'utf8');
}
