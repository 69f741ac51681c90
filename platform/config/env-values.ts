/** Reading typed values out of environment variables, with the variable's name in every refusal. */
import { fetchRefusesPort } from './fetch-bad-ports.js';

export type Env = Record<string, string | undefined>;

export function bool(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  return ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
}

/** The whole number in env[name], or `fallback` when it is unset or empty. */
export function int(env: Env, name: string, fallback: number): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`${name} must be a whole number, got "${value}"`);
  return parsed;
}

/** The TCP port in env[name], or `fallback`: one that fetch and browsers can reach (0: any free one). */
export function port(env: Env, name: string, fallback: number): number {
  const value = int(env, name, fallback);
  if (value > 65535) throw new Error(`${name} must be a port (0-65535), got "${env[name]}"`);
  return reachablePort(name, value);
}

/** `value`, the port in variable `name`, unless fetch and browsers refuse it (the Fetch standard's "bad ports"). */
export function reachablePort(name: string, value: number): number {
  if (fetchRefusesPort(value)) {
    throw new Error(`${name}=${value} is a port that Node's fetch and browsers refuse to connect to (the Fetch standard's "bad ports"): choose another`);
  }
  return value;
}

/** The comma-separated entries of a value, trimmed, empty ones dropped. */
export function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}
