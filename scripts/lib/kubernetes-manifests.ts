/**
 * The Kubernetes manifests of the platform, as data: one Deployment, Service,
 * HorizontalPodAutoscaler and PodDisruptionBudget per service, the migration
 * Job, the shared ConfigMap and Secret, and the Ingress. `npm run k8s` writes
 * them to deploy/k8s/base; test/deploy/kubernetes.test.ts checks that the
 * files are fresh and valid against the Kubernetes API schemas.
 *
 * Resource figures come from measurement (README, "Operations"): each
 * compiled service settles at 90-130 MiB resident after start-up with the demo
 * data; requests sit there, limits leave room for bursts of large answers.
 */
import { stringify } from 'yaml';
import { GATEWAY_NODE_FLAGS } from '../../gateway/node-flags.js';
import { SUBGRAPH_NODE_FLAGS } from '../../platform/subgraph/node-flags.js';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../platform/config.js';

export const PART_OF_LABEL = 'app.kubernetes.io/part-of';
const PART_OF = 'bheem-federation';
const IMAGE = 'bheem-federation:latest';
const NODE_UID = 1000; // the `node` user of the official Node images

type Service = SubgraphName | 'gateway';
type Manifest = Record<string, unknown>;

const PORTS: Record<Service, number> = { gateway: 4000, academy: 4001, erp: 4002, meet: 4003, calendar: 4004, documents: 4005 };

/** Requests: the measured steady RSS and a share of a core; limits: twice the memory, a whole core. */
const RESOURCES: Record<Service, { cpu: string; memory: string; memoryLimit: string }> = {
  gateway: { cpu: '250m', memory: '192Mi', memoryLimit: '512Mi' },
  // Subgraph limits leave room for the 64 MB semi-spaces of platform/subgraph/node-flags.ts (meet's RSS under the
  // bench's course list: 267 MB at most without them, 349 MB with).
  academy: { cpu: '100m', memory: '160Mi', memoryLimit: '512Mi' },
  erp: { cpu: '50m', memory: '128Mi', memoryLimit: '448Mi' },
  meet: { cpu: '100m', memory: '160Mi', memoryLimit: '512Mi' },
  calendar: { cpu: '100m', memory: '160Mi', memoryLimit: '512Mi' },
  documents: { cpu: '100m', memory: '192Mi', memoryLimit: '640Mi' },
};

/** Settings that are not secret, with the values a cluster usually wants; every one is documented in the README. */
export const CONFIG: Record<string, string> = {
  NODE_ENV: 'production',
  HOST: '0.0.0.0',
  LOG_LEVEL: 'info',
  SKIP_MIGRATIONS: 'true',
  DATABASE_POOL_MAX: '10',
  PUBLIC_URL: 'https://bheem.example.com',
  AUTH_MODE: 'jwks',
  AUTH_JWKS_URL: 'https://passport.example.com/.well-known/jwks.json',
  AUTH_ISSUER: 'https://passport.example.com',
  AUTH_AUDIENCE: 'bheem-federation',
  REQUIRE_GATEWAY_SIGNATURE: 'true',
  ...Object.fromEntries(SUBGRAPH_NAMES.map((name) => [`${name.toUpperCase()}_URL`, `http://${name}:${PORTS[name]}/graphql`])),
  MOODLE_SCHEMA: 'public',
  MOODLE_PROVISION: 'false',
  MOODLE_URL: 'https://academy.example.com',
  LIVEKIT_URL: 'wss://meet.example.com',
  MEET_LIVEKIT_API_URL: 'http://livekit:7880',
  MEET_RECORDINGS_STORAGE: 's3',
  MEET_S3_BUCKET: 'bheem-recordings',
  MEET_S3_ENDPOINT: 'http://minio:9000',
  MEET_S3_PUBLIC_ENDPOINT: 'https://media.example.com',
  MEET_S3_REGION: 'us-east-1',
  DOCUMENTS_STORAGE_BACKEND: 's3',
  DOCUMENTS_S3_BUCKET: 'bheem-documents',
  DOCUMENTS_S3_ENDPOINT: 'http://minio:9000',
  DOCUMENTS_S3_REGION: 'us-east-1',
  GATEWAY_RATE_LIMIT_STORE: 'postgres',
  GATEWAY_TRUST_PROXY: '1',
  GATEWAY_SUBGRAPH_TIMEOUT_MS: '10000',
  GATEWAY_SHUTDOWN_GRACE_MS: '10000',
  GATEWAY_CORS_ORIGINS: 'https://bheem.example.com',
  CALENDAR_SYNC_INTERVAL_SECONDS: '900',
  EVENT_RETENTION_DAYS: '7',
  OTEL_SERVICE_NAMESPACE: 'bheem-federation',
};

/** Secret keys, empty here: fill them with `kubectl create secret` or an external secret store, never in git. */
export const SECRET_KEYS = [
  'DATABASE_URL',
  'INTERNAL_SIGNING_SECRET',
  'EVENT_INGEST_SECRET',
  'CREDENTIAL_KEY',
  'DOCUMENTS_URL_SECRET',
  'LIVEKIT_API_KEY',
  'LIVEKIT_API_SECRET',
  'MEET_S3_ACCESS_KEY_ID',
  'MEET_S3_SECRET_ACCESS_KEY',
  'DOCUMENTS_S3_ACCESS_KEY_ID',
  'DOCUMENTS_S3_SECRET_ACCESS_KEY',
  'DOCUMENTS_WEBDAV_PASSWORD',
] as const;

const labels = (service: string) => ({ 'app.kubernetes.io/name': service, [PART_OF_LABEL]: PART_OF });

const fromConfig = { configMapRef: { name: 'bheem-config' } };
const fromSecret = { secretRef: { name: 'bheem-secrets' } };

const securityContext = {
  runAsNonRoot: true,
  runAsUser: NODE_UID,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
};

function container(service: Service): Manifest {
  const { cpu, memory, memoryLimit } = RESOURCES[service];
  const probe = (path: string, periodSeconds: number, failureThreshold: number) => ({ httpGet: { path, port: 'http' }, periodSeconds, timeoutSeconds: 3, failureThreshold });
  return {
    name: service,
    image: IMAGE,
    command: service === 'gateway' ? ['node', ...GATEWAY_NODE_FLAGS, 'dist/gateway/main.js'] : ['node', ...SUBGRAPH_NODE_FLAGS, 'dist/scripts/start-subgraph.js', service],
    ports: [{ name: 'http', containerPort: PORTS[service] }],
    envFrom: [fromConfig, fromSecret],
    // Resumable uploads stay on the replica that staged them: the others forward to its pod address.
    ...(service === 'documents' && {
      env: [
        { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'DOCUMENTS_INTERNAL_URL', value: `http://$(POD_IP):${PORTS.documents}` },
      ],
    }),
    resources: { requests: { cpu, memory }, limits: { cpu: '1', memory: memoryLimit } },
    // Started when live answers; ready while /health/ready's checks (database, subgraphs) pass.
    startupProbe: probe('/health/live', 2, 60),
    livenessProbe: probe('/health/live', 10, 3),
    readinessProbe: probe('/health/ready', 5, 2),
    securityContext,
    volumeMounts: [
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'data', mountPath: '/app/.data' },
    ],
  };
}

function deployment(service: Service): Manifest {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: service, labels: labels(service) },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels(service) },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels: labels(service) },
        spec: {
          // Longer than GATEWAY_SHUTDOWN_GRACE_MS: in-flight requests drain before the kill.
          terminationGracePeriodSeconds: 30,
          securityContext: { runAsNonRoot: true, runAsUser: NODE_UID, fsGroup: NODE_UID },
          containers: [container(service)],
          volumes: [
            { name: 'tmp', emptyDir: {} },
            { name: 'data', emptyDir: {} },
          ],
        },
      },
    },
  };
}

function service(name: Service): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, labels: labels(name) },
    spec: { selector: labels(name), ports: [{ name: 'http', port: PORTS[name], targetPort: 'http' }] },
  };
}

function autoscaler(name: Service): Manifest {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name, labels: labels(name) },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      minReplicas: 2,
      maxReplicas: name === 'gateway' ? 10 : 6,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    },
  };
}

function disruptionBudget(name: Service): Manifest {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name, labels: labels(name) },
    spec: { minAvailable: 1, selector: { matchLabels: labels(name) } },
  };
}

function migrationJob(): Manifest {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'bheem-migrate', labels: labels('migrate') },
    spec: {
      backoffLimit: 3,
      ttlSecondsAfterFinished: 3600,
      template: {
        metadata: { labels: labels('migrate') },
        spec: {
          restartPolicy: 'OnFailure',
          securityContext: { runAsNonRoot: true, runAsUser: NODE_UID },
          containers: [
            {
              name: 'migrate',
              image: IMAGE,
              command: ['node', 'dist/scripts/migrate.js'],
              envFrom: [fromConfig, fromSecret],
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '384Mi' } },
              securityContext,
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            },
          ],
          volumes: [{ name: 'tmp', emptyDir: {} }],
        },
      },
    },
  };
}

function ingress(): Manifest {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: 'bheem-gateway',
      labels: labels('gateway'),
      annotations: {
        // graphql-ws and SSE hold connections open: no proxy timeout shorter than an hour, no buffering.
        'nginx.ingress.kubernetes.io/proxy-read-timeout': '3600',
        'nginx.ingress.kubernetes.io/proxy-send-timeout': '3600',
        'nginx.ingress.kubernetes.io/proxy-buffering': 'off',
        // Uploads stream through the gateway (DOCUMENTS_MAX_UPLOAD_BYTES).
        'nginx.ingress.kubernetes.io/proxy-body-size': '1g',
      },
    },
    spec: {
      ingressClassName: 'nginx',
      tls: [{ hosts: ['bheem.example.com'], secretName: 'bheem-tls' }],
      rules: [
        {
          host: 'bheem.example.com',
          http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'gateway', port: { name: 'http' } } } }] },
        },
      ],
    },
  };
}

export interface ManifestFile {
  name: string;
  documents: Manifest[];
}

/** Every file of deploy/k8s/base, kustomization.yaml last (it lists the others). */
export function baseManifests(): ManifestFile[] {
  const services: Service[] = ['gateway', ...SUBGRAPH_NAMES];
  const files: ManifestFile[] = [
    { name: 'config.yaml', documents: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bheem-config', labels: labels('config') }, data: CONFIG }] },
    {
      name: 'secret.yaml',
      documents: [
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'bheem-secrets', labels: labels('secrets') },
          type: 'Opaque',
          stringData: Object.fromEntries(SECRET_KEYS.map((key) => [key, ''])),
        },
      ],
    },
    { name: 'migrate-job.yaml', documents: [migrationJob()] },
    ...services.map((name) => ({ name: `${name}.yaml`, documents: [deployment(name), service(name), autoscaler(name), disruptionBudget(name)] })),
    { name: 'ingress.yaml', documents: [ingress()] },
  ];
  const kustomization = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    labels: [{ pairs: { [PART_OF_LABEL]: PART_OF } }],
    resources: files.map((file) => file.name),
  };
  return [...files, { name: 'kustomization.yaml', documents: [kustomization] }];
}

/** A file's YAML text, documents separated by `---`, with a header that says where it comes from. */
export function renderManifestFile(file: ManifestFile): string {
  const header = '# Generated by `npm run k8s` from scripts/lib/kubernetes-manifests.ts: edit that, not this.\n';
  return header + file.documents.map((document) => stringify(document, { lineWidth: 0 })).join('---\n');
}
