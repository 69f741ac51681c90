/**
 * A request's base context (request-base.ts): its logger is the subgraph's child naming the request, made on
 * first read and once, and lazyContext's contexts read it through without making it.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { Viewer } from '../../auth/viewer.js';
import { lazyContext } from '../lazy-context.js';
import { RequestBase } from '../request-base.js';
import type { BaseContext } from '../subgraph-module.js';

const viewer = { userId: 'u1', companyId: 'c1', roles: [] } as unknown as Viewer;

/** A real pino logger writing into `lines`, counting the children made of it. */
function recordingLogger() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const log = pino({ level: 'info', base: { service: 'request-base-test' } }, destination);
  const counted = { made: 0 };
  const child = log.child.bind(log);
  log.child = ((...args: Parameters<typeof child>) => {
    counted.made++;
    return child(...args);
  }) as typeof log.child;
  return { log, lines, counted };
}

describe('RequestBase', () => {
  it('makes the request’s logger on first read, once, naming the request', async () => {
    const { log, lines, counted } = recordingLogger();
    const base = new RequestBase(viewer, 'r1', undefined, log);
    expect([base.viewer, base.requestId, base.signal]).toEqual([viewer, 'r1', undefined]);
    expect(counted.made).toBe(0);
    base.log.info('first');
    expect(base.log).toBe(base.log);
    expect(counted.made).toBe(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toMatchObject([{ msg: 'first', requestId: 'r1', service: 'request-base-test' }]);
  });

  it('is read through by lazyContext, which makes no logger for a request that logs nothing', () => {
    const { log, counted } = recordingLogger();
    const createContext = lazyContext<BaseContext & { nothing: object }, undefined>(() => undefined, { nothing: () => ({}) });
    const signal = new AbortController().signal;
    const context = createContext(new RequestBase(viewer, 'r2', signal, log));
    expect([context.viewer, context.requestId, context.signal]).toEqual([viewer, 'r2', signal]);
    expect(counted.made).toBe(0);
    expect(context.log).toBe(context.log);
    expect(counted.made).toBe(1);
    expect(context.log.bindings()).toMatchObject({ requestId: 'r2' });
  });
});
