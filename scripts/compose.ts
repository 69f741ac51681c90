/** `npm run compose`: writes schema/supergraph.graphql, or explains why it cannot. */
import { writeFileSync } from 'node:fs';
import { composeSupergraph } from '../platform/federation/compose-supergraph.js';
import { schemaPath } from '../platform/paths.js';

const outcome = composeSupergraph();
if (outcome.errors.length > 0) {
  console.error(`Composition failed:\n- ${outcome.errors.join('\n- ')}`);
  process.exit(1);
}
if (outcome.unacceptedHints.length > 0) {
  console.error(
    `Composition produced hints not listed in schema/accepted-hints.json (fix the SDL, or accept them there with a reason):\n- ${outcome.unacceptedHints.join('\n- ')}`,
  );
  process.exit(1);
}
writeFileSync(schemaPath('supergraph'), outcome.supergraphSdl!);
writeFileSync(schemaPath('api'), outcome.apiSchemaSdl!);
console.log(`Wrote ${schemaPath('supergraph')} and ${schemaPath('api')}`);
