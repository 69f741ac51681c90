/**
 * The Kubernetes manifests: fresh (what `npm run k8s` writes), valid against
 * the Kubernetes API schemas (kubernetes-models; no cluster runs here), and
 * holding what an operator relies on: probes on the health routes, requests
 * and limits, an autoscaler and a disruption budget per service, no secrets.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../platform/paths.js';
import { baseManifests, renderManifestFile } from '../../scripts/lib/kubernetes-manifests.js';

type Manifest = { apiVersion: string; kind: string; metadata: { name: string; annotations?: Record<string, string> }; [key: string]: any };

const BASE = path.join(REPO_ROOT, 'deploy/k8s/base');
const OVERLAY = path.join(REPO_ROOT, 'deploy/k8s/overlays/production');

const readDocuments = (file: string): Manifest[] => parseAllDocuments(readFileSync(file, 'utf8')).map((document) => document.toJS() as Manifest);
const baseFiles = () => (readDocuments(path.join(BASE, 'kustomization.yaml'))[0]!.resources as string[]).map((file) => path.join(BASE, file));
const baseDocuments = () => baseFiles().flatMap(readDocuments);

type Model = new (data: any) => { validate(): void };
/** The schema of every kind the manifests use; a kind missing here fails the test rather than going unchecked. */
const MODELS: Record<string, () => Promise<Model>> = {
  'v1/ConfigMap': async () => (await import('kubernetes-models/v1/ConfigMap')).ConfigMap,
  'v1/Secret': async () => (await import('kubernetes-models/v1/Secret')).Secret,
  'v1/Service': async () => (await import('kubernetes-models/v1/Service')).Service,
  'apps/v1/Deployment': async () => (await import('kubernetes-models/apps/v1/Deployment')).Deployment,
  'batch/v1/Job': async () => (await import('kubernetes-models/batch/v1/Job')).Job,
  'autoscaling/v2/HorizontalPodAutoscaler': async () => (await import('kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler')).HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': async () => (await import('kubernetes-models/policy/v1/PodDisruptionBudget')).PodDisruptionBudget,
  'networking.k8s.io/v1/Ingress': async () => (await import('kubernetes-models/networking.k8s.io/v1/Ingress')).Ingress,
};

async function validate(manifest: Manifest): Promise<void> {
  const model = MODELS[`${manifest.apiVersion}/${manifest.kind}`];
  if (!model) throw new Error(`no schema known for ${manifest.apiVersion} ${manifest.kind}`);
  new (await model())(manifest).validate();
}

/** RFC 6901 pointer lookup, as kustomize's JSON 6902 patches resolve `path`. */
function pointerExists(document: unknown, pointer: string): boolean {
  let node: any = document;
  for (const token of pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))) {
    if (node === null || typeof node !== 'object' || !(token in node)) return false;
    node = node[token];
  }
  return true;
}

describe('Kubernetes manifests', () => {
  it('are what npm run k8s writes (regenerate after changing scripts/lib/kubernetes-manifests.ts)', () => {
    for (const file of baseManifests()) {
      expect(readFileSync(path.join(BASE, file.name), 'utf8'), file.name).toBe(renderManifestFile(file));
    }
  });

  it('validate against the Kubernetes API schemas', async () => {
    const documents = baseDocuments();
    expect(documents.length).toBeGreaterThan(20);
    for (const manifest of documents) await validate(manifest);
    // The check bites: a port given as a name where the schema wants a number is refused.
    const broken = structuredClone(documents.find((manifest) => manifest.kind === 'Deployment')!);
    broken.spec.template.spec.containers[0].ports[0].containerPort = 'http';
    await expect(validate(broken)).rejects.toThrow(/containerPort/);
  });

  it('give every service probes on the health routes, resources, an autoscaler and a disruption budget', () => {
    const documents = baseDocuments();
    const deployments = documents.filter((manifest) => manifest.kind === 'Deployment');
    expect(deployments.map((deployment) => deployment.metadata.name).sort()).toEqual(['academy', 'calendar', 'documents', 'erp', 'gateway', 'meet']);
    for (const deployment of deployments) {
      const name = deployment.metadata.name;
      const container = deployment.spec.template.spec.containers[0];
      expect(container.readinessProbe.httpGet.path, name).toBe('/health/ready');
      expect(container.livenessProbe.httpGet.path, name).toBe('/health/live');
      expect(container.resources.requests.memory && container.resources.limits.memory, name).toBeTruthy();
      expect(container.securityContext.runAsNonRoot, name).toBe(true);
      for (const kind of ['Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget']) {
        expect(
          documents.some((manifest) => manifest.kind === kind && manifest.metadata.name === name),
          `${kind} ${name}`,
        ).toBe(true);
      }
    }
    const job = documents.find((manifest) => manifest.kind === 'Job')!;
    expect(job.spec.template.spec.containers[0].command).toEqual(['node', 'dist/scripts/migrate.js']);
    const config = documents.find((manifest) => manifest.kind === 'ConfigMap')!;
    expect(config.data.SKIP_MIGRATIONS).toBe('true');
  });

  it('carry no secret: the Secret lists keys with empty values, the ConfigMap none of them', () => {
    const documents = baseDocuments();
    const secret = documents.find((manifest) => manifest.kind === 'Secret')!;
    expect(Object.values(secret.stringData).every((value) => value === '')).toBe(true);
    const config = documents.find((manifest) => manifest.kind === 'ConfigMap')!;
    expect(Object.keys(config.data).filter((key) => /SECRET|PASSWORD|CREDENTIAL|ACCESS_KEY|API_KEY/.test(key))).toEqual([]);
    expect(Object.keys(config.data).filter((key) => key in secret.stringData)).toEqual([]);
  });

  it('route WebSockets and uploads through the Ingress to the gateway', () => {
    const ingress = baseDocuments().find((manifest) => manifest.kind === 'Ingress')!;
    expect(ingress.spec.rules[0].http.paths[0].backend.service.name).toBe('gateway');
    expect(Number(ingress.metadata.annotations!['nginx.ingress.kubernetes.io/proxy-read-timeout'])).toBeGreaterThanOrEqual(3600);
  });

  it('has a production overlay whose resources exist and whose patches land on paths of the base', () => {
    const overlay = readDocuments(path.join(OVERLAY, 'kustomization.yaml'))[0]!;
    for (const resource of overlay.resources as string[]) expect(existsSync(path.join(OVERLAY, resource)), resource).toBe(true);
    const documents = baseDocuments();
    for (const { target, patch } of overlay.patches as { target: { kind: string; name: string }; patch: string }[]) {
      const document = documents.find((manifest) => manifest.kind === target.kind && manifest.metadata.name === target.name);
      expect(document, `${target.kind} ${target.name}`).toBeDefined();
      for (const operation of parseAllDocuments(patch)[0]!.toJS() as { op: string; path: string }[]) {
        expect(pointerExists(document, operation.path), `${target.kind} ${target.name} ${operation.path}`).toBe(true);
      }
    }
    expect(overlay.images[0].newTag).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
