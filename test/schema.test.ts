/**
 * The checked-in artefacts derived from the SDL must be what the SDL says:
 * the supergraph (composed without errors or unaccepted hints) and the
 * codegen resolver types.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import { composeSupergraph } from '../platform/federation/compose-supergraph.js';
import { REPO_ROOT, schemaPath } from '../platform/paths.js';
import codegenConfig from '../codegen.js';

describe('schema artefacts', () => {
  it('composes without errors or unaccepted hints, and schema/supergraph.graphql is up to date', () => {
    const outcome = composeSupergraph();
    expect(outcome.errors).toEqual([]);
    expect(outcome.unacceptedHints).toEqual([]);
    expect(readFileSync(schemaPath('supergraph'), 'utf8'), 'run `npm run compose`').toBe(outcome.supergraphSdl);
    expect(readFileSync(schemaPath('api'), 'utf8'), 'run `npm run compose`').toBe(outcome.apiSchemaSdl);
  });

  it('generated resolver types match the SDL', async () => {
    const outputs = await generate({ ...codegenConfig, cwd: REPO_ROOT, silent: true }, false);
    expect(outputs.length).toBe(5);
    for (const output of outputs) {
      const onDisk = readFileSync(path.resolve(REPO_ROOT, output.filename), 'utf8');
      expect(onDisk, `${output.filename} is stale: run \`npm run codegen\``).toBe(output.content);
    }
  }, 60_000);
});
