/**
 * `npm run k8s`: writes the Kubernetes base (deploy/k8s/base) from
 * scripts/lib/kubernetes-manifests.ts. Overlays under deploy/k8s/overlays are
 * written by hand; test/deploy/kubernetes.test.ts checks both.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../platform/paths.js';
import { baseManifests, renderManifestFile } from './lib/kubernetes-manifests.js';

const dir = path.join(REPO_ROOT, 'deploy/k8s/base');
mkdirSync(dir, { recursive: true });
for (const file of baseManifests()) writeFileSync(path.join(dir, file.name), renderManifestFile(file));
console.log(`k8s: ${baseManifests().length} files written to ${path.relative(process.cwd(), dir)}/`);
