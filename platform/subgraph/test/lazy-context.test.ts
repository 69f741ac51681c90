/**
 * A request's context whose services are built on first read (lazy-context.ts): a service a request never
 * reads is never built, one read many times is built once and shared by the services built from it, and
 * each request has its own.
 */
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../logger.js';
import { lazyContext } from '../lazy-context.js';
import type { BaseContext } from '../subgraph-module.js';

interface Counter {
  requestId: string;
  shared: { id: number };
}
interface Report {
  counter: Counter;
}
interface TestContext extends BaseContext {
  counter: Counter;
  report: Report;
  unused: object;
}

const base = (requestId: string): BaseContext => ({
  viewer: { userId: 'u1', companyId: 'c1', roles: [] } as unknown as BaseContext['viewer'],
  requestId,
  log: createLogger('lazy-context-test'),
  signal: new AbortController().signal,
});

describe('lazyContext', () => {
  it('builds each service on its first read only, once per request, from that request’s base and shared objects', () => {
    const built: string[] = [];
    let sharedCount = 0;
    const createContext = lazyContext<TestContext, { id: number }>(() => ({ id: ++sharedCount }), {
      counter: ({ requestId }, shared) => {
        built.push(`counter ${requestId}`);
        return { requestId, shared };
      },
      report: ({ counter }) => {
        built.push('report');
        return { counter };
      },
      unused: () => {
        built.push('unused');
        return {};
      },
    });
    const first = createContext(base('r1'));
    expect(built).toEqual([]);
    expect(first.requestId).toBe('r1');
    expect(first.report.counter).toBe(first.counter);
    expect(first.counter).toEqual({ requestId: 'r1', shared: { id: 1 } });
    expect(built).toEqual(['counter r1', 'report']);

    const second = createContext(base('r2'));
    expect(second.counter).not.toBe(first.counter);
    expect(second.counter).toEqual({ requestId: 'r2', shared: { id: 2 } });
    expect(built).toEqual(['counter r1', 'report', 'counter r2']);
    expect(sharedCount).toBe(2);
  });

  it('keeps the base context’s fields', () => {
    const createContext = lazyContext<TestContext, undefined>(() => undefined, { counter: () => ({}) as Counter, report: () => ({}) as Report, unused: () => ({}) });
    const given = base('r3');
    const context = createContext(given);
    expect([context.viewer, context.requestId, context.log, context.signal]).toEqual([given.viewer, given.requestId, given.log, given.signal]);
  });
});
