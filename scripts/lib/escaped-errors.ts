/**
 * Which in-process service an escaped error came from. In development
 * `npm start` runs the five subgraphs in its own process, so one subgraph's
 * uncaught exception or unhandled rejection ends them all: the report must
 * name that subgraph. Whatever a subgraph's start sets going (its server's
 * requests, its timers, its pools' connections) carries the subgraph's name
 * in an AsyncLocalStorage, which the process's handlers still see.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const owner = new AsyncLocalStorage<string>();

/** Runs `start` as `service`: an error escaping from anything it sets going is reported as that service's. */
export function runAsService<T>(service: string, start: () => T): T {
  return owner.run(service, start);
}

export interface EscapedError {
  error: unknown;
  /** The service it escaped from; undefined outside every service (the start-up itself, a library). */
  service: string | undefined;
  how: 'uncaught exception' | 'unhandled rejection';
}

/** Hands every uncaught exception and unhandled rejection of the process to `handle`, with the service it came from. */
export function onEscapedError(handle: (escaped: EscapedError) => void): void {
  process.on('uncaughtException', (error) => handle({ error, service: owner.getStore(), how: 'uncaught exception' }));
  process.on('unhandledRejection', (reason) => handle({ error: reason, service: owner.getStore(), how: 'unhandled rejection' }));
}

const STACK_FRAMES = 8;

/** The lines that say what failed: where it came from and why, then the first frames of its stack. */
export function describeEscape({ error, service, how }: EscapedError): string[] {
  const where = service ? `the ${service} subgraph (in this process)` : 'this process, outside any subgraph';
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : `a non-error value: ${String(error)}`;
  const frames = error instanceof Error && error.stack ? error.stack.split('\n').filter((line) => line.trimStart().startsWith('at ')) : [];
  return [`an ${how} in ${where}: ${reason}`, ...frames.slice(0, STACK_FRAMES).map((frame) => `  ${frame.trim()}`)];
}
