import pino, { type Logger } from 'pino';

/** One root logger per process; services take children named after themselves. */
export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name, level, base: { service: name } });
}

export type { Logger };
