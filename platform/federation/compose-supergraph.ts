/**
 * Composes the five subgraph SDLs into the supergraph with
 * @apollo/composition. Hints are refused unless listed (by code and message)
 * in schema/accepted-hints.json, so a new composition warning is a decision,
 * not an accident.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { printSchema } from '@apollo/federation-internals';
import { parse } from 'graphql';
import { SUBGRAPH_NAMES, type SubgraphName } from '../config.js';
import { REPO_ROOT, readSchemaFile } from '../paths.js';

/** Placeholder URLs in the checked-in supergraph; the gateway takes real ones from configuration. */
const PLACEHOLDER_URL = (name: SubgraphName) => `http://${name}:4000/graphql`;

export interface AcceptedHint {
  code: string;
  message: string;
  why: string;
}

export interface CompositionOutcome {
  supergraphSdl?: string;
  /** The schema clients see (no federation machinery, @inaccessible removed): what client code generators read. */
  apiSchemaSdl?: string;
  errors: string[];
  unacceptedHints: string[];
}

export function loadAcceptedHints(): AcceptedHint[] {
  const file = path.join(REPO_ROOT, 'schema', 'accepted-hints.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as AcceptedHint[]) : [];
}

export function composeSupergraph(): CompositionOutcome {
  const result = composeServices(SUBGRAPH_NAMES.map((name) => ({ name, url: PLACEHOLDER_URL(name), typeDefs: parse(readSchemaFile(name)) })));
  if (result.errors) return { errors: result.errors.map((error) => error.message), unacceptedHints: [] };
  const accepted = loadAcceptedHints();
  const unacceptedHints = result.hints
    .filter((hint) => !accepted.some((ok) => ok.code === hint.definition.code && ok.message === hint.message))
    .map((hint) => `${hint.definition.code}: ${hint.message}`);
  return {
    supergraphSdl: `# Composed by \`npm run compose\` from schema/<subgraph>.graphql. Do not edit.\n${result.supergraphSdl}`,
    apiSchemaSdl: `# The API schema of the supergraph, written by \`npm run compose\`. Do not edit.\n${printSchema(result.schema.toAPISchema())}\n`,
    errors: [],
    unacceptedHints,
  };
}
