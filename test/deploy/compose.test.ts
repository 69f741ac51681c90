/**
 * docker-compose.yml as an operator runs it: parsed by Debian's docker-compose
 * (no engine runs here, `config` needs none) and held to the invariants that
 * make it start as written: pinned images, health checks and ready
 * conditions everywhere, secrets only from .env, recordings and documents in
 * the same MinIO whose buckets a one-shot job creates.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../platform/paths.js';

type Service = {
  image?: string;
  build?: unknown;
  profiles?: string[];
  restart?: string;
  healthcheck?: { test?: string[]; disable?: boolean };
  depends_on?: Record<string, { condition: string }> | string[];
  environment?: Record<string, string>;
  entrypoint?: string[];
};

const COMPOSE_FILE = path.join(REPO_ROOT, 'docker-compose.yml');
const composeText = readFileSync(COMPOSE_FILE, 'utf8');
const services = (parse(composeText, { merge: true }) as { services: Record<string, Service> }).services;
const oneShot = (service: Service) => service.restart === 'no';

/** Every variable compose refuses to run without (`${NAME:?...}`). */
const requiredVariables = [...new Set([...composeText.matchAll(/\$\{([A-Z0-9_]+):\?/g)].map((match) => match[1]!))];

function dockerCompose(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return promisify(execFile)('docker-compose', ['-f', COMPOSE_FILE, ...args], { cwd: os.tmpdir(), env: { PATH: process.env.PATH } });
}

describe('docker-compose.yml', () => {
  it('parses with docker-compose once .env fills the variables of .env.example, and refuses to run without them', async () => {
    const envFile = path.join(os.tmpdir(), `bheem-compose-${process.pid}.env`);
    writeFileSync(envFile, requiredVariables.map((name) => `${name}=placeholder-${name.toLowerCase()}`).join('\n'));
    const { stdout } = await dockerCompose(['--env-file', envFile, 'config']);
    const rendered = parse(stdout) as { services: Record<string, Service> };
    expect(rendered.services.meet!.environment!.LIVEKIT_API_SECRET).toBe('placeholder-livekit_api_secret');
    const empty = path.join(os.tmpdir(), `bheem-compose-${process.pid}-empty.env`);
    writeFileSync(empty, '');
    await expect(dockerCompose(['--env-file', empty, 'config'])).rejects.toThrow(/set [A-Z_]+/);
  });

  it('names every required variable in .env.example', () => {
    const example = readFileSync(path.join(REPO_ROOT, '.env.example'), 'utf8');
    expect(requiredVariables.length).toBeGreaterThan(5);
    for (const name of requiredVariables) expect(example, name).toMatch(new RegExp(`^${name}=$`, 'm'));
  });

  it('pins every image to a version', () => {
    for (const [name, service] of Object.entries(services)) {
      if (!service.image || service.build) continue;
      expect(service.image, name).toMatch(/:[^:]+$/);
      expect(service.image, name).not.toMatch(/:latest$/);
    }
  });

  it('gives every long-running service a health check and every dependency a condition', () => {
    for (const [name, service] of Object.entries(services)) {
      if (!oneShot(service)) expect(service.healthcheck?.test, `${name} health check`).toBeDefined();
      const dependsOn = service.depends_on ?? {};
      expect(Array.isArray(dependsOn), `${name} depends_on needs conditions`).toBe(false);
      for (const [dependency, { condition }] of Object.entries(dependsOn)) {
        const expected = oneShot(services[dependency]!) ? 'service_completed_successfully' : 'service_healthy';
        expect(condition, `${name} -> ${dependency}`).toBe(expected);
      }
    }
    const gatewayNeeds = Object.keys(services.gateway!.depends_on as object).sort();
    expect(gatewayNeeds).toEqual(['academy', 'calendar', 'documents', 'erp', 'meet']);
    for (const subgraph of gatewayNeeds) expect(Object.keys(services[subgraph]!.depends_on as object)).toContain('migrate');
  });

  it('takes every secret from the environment, LiveKit and Egress included', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        if (/SECRET|PASSWORD|CREDENTIAL_KEY|ACCESS_KEY|API_KEY/.test(key)) expect(String(value), `${name}.${key}`).toMatch(/^\$\{[A-Z0-9_]+(:\?[^}]*)?\}$/);
      }
    }
    expect(services.livekit!.environment!.LIVEKIT_KEYS).toContain('${LIVEKIT_API_SECRET');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: compose's own ${VAR} interpolation, checked verbatim
    expect(services['livekit-egress']!.environment!.EGRESS_CONFIG_BODY).toContain('api_secret: ${LIVEKIT_API_SECRET}');
  });

  it('keeps recordings and documents in the MinIO whose buckets the one-shot job creates', () => {
    const env = services.meet!.environment!;
    expect(env.MEET_S3_ENDPOINT).toBe('http://minio:9000');
    expect(env.DOCUMENTS_STORAGE_BACKEND).toBe('s3');
    expect(env.DOCUMENTS_S3_ENDPOINT).toBe(env.MEET_S3_ENDPOINT);
    const created = services.buckets!.entrypoint!.filter((argument) => argument.startsWith('local/')).map((bucket) => bucket.slice('local/'.length));
    expect(created.sort()).toEqual([env.DOCUMENTS_S3_BUCKET, env.MEET_S3_BUCKET].sort());
  });
});
