/**
 * The checked-in supergraph with its placeholder subgraph URLs
 * (`http://<name>:4000/graphql`) replaced by where the benchmark's subgraphs
 * listen, for the peer gateways, which read URLs from the supergraph itself.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { schemaPath } from '../../../platform/paths.js';

export function supergraphWithUrls(urls: Record<string, string>): string {
  return readFileSync(schemaPath('supergraph'), 'utf8').replace(/@join__graph\(name: "([^"]+)", url: "[^"]*"\)/g, (whole, name: string) =>
    urls[name] ? `@join__graph(name: "${name}", url: "${urls[name]}")` : whole,
  );
}

export function writeSupergraph(path: string, urls: Record<string, string>): void {
  const sdl = supergraphWithUrls(urls);
  for (const name of Object.keys(urls)) if (!sdl.includes(`url: "${urls[name]}"`)) throw new Error(`Subgraph ${name} is not in the supergraph`);
  writeFileSync(path, sdl);
}
