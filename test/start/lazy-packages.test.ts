/**
 * The packages only some deployments use (S3, WebDAV, SMTP, trace export, content sniffing, LiveKit, resumable
 * uploads, CalDAV) load where they are used, not with the subgraphs' and the gateway's code: on the embedded
 * defaults they cost every start CPU for nothing. Checked in a process of its own, which lists the packages it
 * resolved.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../platform/paths.js';

const LAZY = [
  '@aws-sdk/client-s3',
  '@aws-sdk/lib-storage',
  '@aws-sdk/s3-request-presigner',
  'webdav',
  'nodemailer',
  '@opentelemetry/sdk-trace-node',
  '@opentelemetry/exporter-trace-otlp-http',
  'file-type',
  'livekit-server-sdk',
  '@tus/server',
  '@tus/file-store',
  'tsdav',
];

// Prints each package the first time a module is resolved in it.
const hook = `
const seen = new Set();
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  const name = /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(resolved.url)?.[1];
  if (name && !seen.has(name)) { seen.add(name); process.stdout.write('package ' + name + '\\n'); }
  return resolved;
}`;
const script = `
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}));
const { SUBGRAPH_MODULES } = await import('./subgraphs/registry.ts');
await Promise.all(Object.values(SUBGRAPH_MODULES).map((load) => load()));
await import('./platform/subgraph/start-subgraph.ts');
await import('./gateway/start-gateway.ts');
process.stdout.write('loaded\\n');
`;

describe('loading the services', () => {
  it('loads none of the packages only some deployments use', () => {
    const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO_ROOT, encoding: 'utf8' });
    const packages = output
      .split('\n')
      .filter((line) => line.startsWith('package '))
      .map((line) => line.slice('package '.length));
    expect(output).toContain('loaded');
    expect(packages).toContain('@apollo/server');
    expect(packages.filter((name) => LAZY.includes(name))).toEqual([]);
  }, 300_000);
});
