import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { PeriodicJob } from '../periodic-job.js';
import { createLogger } from '../../logger.js';

const log = createLogger('test');

describe('PeriodicJob', () => {
  it('joins the run in flight instead of starting a second one', async () => {
    let runs = 0;
    let finish!: () => void;
    const job = new PeriodicJob(
      'test job',
      async () => {
        runs++;
        await new Promise<void>((resolve) => (finish = resolve));
        return runs;
      },
      log,
    );
    const first = job.run();
    const second = job.run();
    expect(job.isRunning).toBe(true);
    finish();
    expect(await Promise.all([first, second])).toEqual([1, 1]);
    expect(job.isRunning).toBe(false);
    const third = job.run();
    finish();
    expect(await third).toBe(2);
  });

  it('keeps running on its interval after a failed run, without an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    let calls = 0;
    let thirdCall!: () => void;
    const third = new Promise<void>((resolve) => (thirdCall = resolve));
    const job = new PeriodicJob(
      'flaky job',
      async () => {
        calls++;
        if (calls === 3) thirdCall();
        if (calls === 1) throw new Error('database unavailable');
        return calls;
      },
      log,
    );
    try {
      job.start(15);
      await third;
      await job.stop();
      expect(calls).toBeGreaterThanOrEqual(3);
      await sleep(20);
      const callsAfterStop = calls;
      await sleep(60);
      expect(calls).toBe(callsAfterStop);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('turns a job that throws before its first await into a rejected run', async () => {
    const job = new PeriodicJob<number>(
      'sync job',
      (() => {
        throw new Error('bad settings');
      }) as () => Promise<number>,
      log,
    );
    await expect(job.run()).rejects.toThrow('bad settings');
    expect(job.isRunning).toBe(false);
  });

  it('stop() waits for the run in flight; an interval of 0 never runs', async () => {
    let done = false;
    const slow = new PeriodicJob(
      'slow job',
      async () => {
        await sleep(80);
        done = true;
      },
      log,
    );
    void slow.run();
    await slow.stop();
    expect(done).toBe(true);

    let ran = false;
    const never = new PeriodicJob(
      'disabled job',
      async () => {
        ran = true;
      },
      log,
    );
    never.start(0);
    await sleep(40);
    await never.stop();
    expect(ran).toBe(false);
  });
});
