/**
 * One service of `npm start` as a child process: its output passed through
 * and its last lines kept (for a failed start), and a readiness wait that
 * lasts as long as the service makes progress (uses CPU time or writes
 * output), so that a busy machine slows the start down without failing it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { processCpuMs } from '../../platform/process-stats.js';

/** A failed start: which service, and why. */
export class StartError extends Error {
  constructor(
    readonly service: string,
    reason: string,
    readonly lastLines: string[] = [],
  ) {
    super(`${service} ${reason}`);
  }
}

export interface ReadinessLimits {
  /** Fail when the service made no progress for this long. */
  stallMs: number;
  /** Fail when the service is not ready after this long, progress or not. */
  totalMs: number;
}

const KEPT_LINES = 15;

export class ServiceProcess {
  readonly child: ChildProcess;
  private readonly lines: string[] = [];
  private outputAt = Date.now();
  private exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  readonly exited: Promise<void>;

  constructor(
    readonly name: string,
    args: string[],
    options: { cwd: string; env: NodeJS.ProcessEnv },
  ) {
    this.child = spawn(process.execPath, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (chunk: Buffer) => this.output(chunk, process.stdout));
    this.child.stderr!.on('data', (chunk: Buffer) => this.output(chunk, process.stderr));
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve();
      });
    });
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  get exitDescription(): string {
    return this.exit?.signal ? `was killed by ${this.exit.signal}` : `exited with code ${this.exit?.code}`;
  }

  get lastLines(): string[] {
    return [...this.lines];
  }

  private output(chunk: Buffer, to: NodeJS.WriteStream): void {
    to.write(chunk);
    this.outputAt = Date.now();
    this.lines.push(
      ...chunk
        .toString('utf8')
        .split('\n')
        .filter((line) => line.trim()),
    );
    this.lines.splice(0, Math.max(0, this.lines.length - KEPT_LINES));
  }

  /**
   * Until `url`'s /health/ready (or `probe`) answers 200; `onWaiting` hears how it goes every 15 s.
   * `/health/live` suits a service started without all it depends on (a test's partial stack).
   */
  async waitReady(url: string, limits: ReadinessLimits, onWaiting: (message: string) => void, probe = '/health/ready'): Promise<void> {
    const started = Date.now();
    let progressAt = started;
    let cpuMs = processCpuMs(this.child.pid!) ?? 0;
    let reportedAt = started;
    let state = 'not listening yet';
    for (;;) {
      if (!this.running) throw new StartError(this.name, `${this.exitDescription} during start-up`, this.lastLines);
      try {
        const response = await fetch(new URL(probe, url), { signal: AbortSignal.timeout(5_000) });
        if (response.ok) return;
        state = `listening, not ready (${response.status}: ${(await response.text()).slice(0, 200)})`;
      } catch {
        // not listening yet, or too busy to answer in time
      }
      const now = Date.now();
      const cpuNow = processCpuMs(this.child.pid!) ?? cpuMs;
      if (cpuNow > cpuMs || this.outputAt > progressAt) progressAt = now;
      cpuMs = cpuNow;
      if (now - progressAt > limits.stallMs) {
        throw new StartError(this.name, `made no progress for ${Math.round(limits.stallMs / 1000)} s (no CPU time, no output) and is ${state}`, this.lastLines);
      }
      if (now - started > limits.totalMs) {
        throw new StartError(this.name, `is not ready after ${Math.round(limits.totalMs / 1000)} s (START_TIMEOUT_SECONDS): ${state}`, this.lastLines);
      }
      if (now - reportedAt >= 15_000) {
        reportedAt = now;
        onWaiting(`still starting after ${Math.round((now - started) / 1000)} s, ${(cpuMs / 1000).toFixed(1)} s of CPU so far; ${state}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs: number): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
