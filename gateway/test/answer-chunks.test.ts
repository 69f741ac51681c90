/**
 * The fast lane's answer in chunks (gateway/answer-chunks.ts): joined, the
 * chunks are JSON.stringify's text byte for byte, whatever the data (large
 * lists, objects too large for one chunk, characters outside Latin-1,
 * undefined fields and items, values with toJSON), and no chunk is large
 * enough for V8's large-object space.
 */
import { describe, expect, it } from 'vitest';
import { answerChunks, CHUNK } from '../answer-chunks.js';

/** A deterministic generator, so that a failure can be replayed. */
function random(seed: number) {
  return () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
}

function value(next: () => number, depth: number): unknown {
  const pick = next();
  if (depth > 4 || pick < 0.3) {
    const leaves = [null, 42, -1.5, true, false, 'plain', 'Caf\u00e9 cr\u00e8me', 'cap \u{1F393}', 'quote " and \\ and \n', '', undefined];
    return leaves[Math.floor(next() * leaves.length)];
  }
  if (pick < 0.6) {
    const length = Math.floor(next() * (depth < 2 ? 400 : 8));
    return Array.from({ length }, () => value(next, depth + 1));
  }
  const object: Record<string, unknown> = {};
  const fields = Math.floor(next() * 6);
  for (let index = 0; index < fields; index++) object[`f${index}${next() < 0.1 ? '\u00e9' : ''}`] = value(next, depth + 1);
  return object;
}

const course = (index: number, title: string) => ({
  id: String(index),
  shortname: `C${index}`,
  liveClasses: Array.from({ length: 6 }, (_, item) => ({ id: `${index}-${item}`, title, scheduledAt: '2026-12-05T10:00:00.000Z' })),
  calendarEvents: [],
});

class Thrown {
  toJSON() {
    return { message: 'as formatted' };
  }
}

function expectSameText(answer: { errors?: unknown; data?: unknown; extensions?: unknown }) {
  const chunks = answerChunks(answer);
  expect(chunks.join('')).toBe(`${JSON.stringify(answer)}\n`);
  for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(3 * CHUNK);
  return chunks;
}

describe('the answer in chunks', () => {
  it('is one chunk for a small answer', () => {
    expect(expectSameText({ data: { course: { id: '1', fullname: 'Physics' } } })).toHaveLength(1);
  });

  it('takes a large list apart, with one character outside Latin-1 or none', () => {
    for (const title of ['Mechanics', 'Mechanics \u{1F393}']) {
      const courses = Array.from({ length: 400 }, (_, index) => course(index, index === 7 ? title : 'Optics'));
      const chunks = expectSameText({ data: { courses } });
      expect(chunks.length).toBeGreaterThan(4);
    }
  });

  it('takes apart an object too large for a chunk, and a large list inside it', () => {
    const page = {
      id: '1',
      title: 'x'.repeat(CHUNK),
      lectures: Array.from({ length: 3 }, () => ({ notes: 'y'.repeat(CHUNK) })),
      liveClasses: Array.from({ length: 3000 }, (_, index) => ({ id: String(index), title: 'Live \u{1F393}' })),
    };
    expect(expectSameText({ data: { course: page } }).length).toBeGreaterThan(2);
  });

  it('writes errors, null data and extensions as JSON.stringify does', () => {
    expectSameText({ errors: [{ message: 'boom', path: ['a', 0] }], data: null });
    expectSameText({ errors: [{ message: 'refused' }] });
    expectSameText({ data: { a: 1 }, extensions: { valueCompletion: [new Thrown()] } });
    expectSameText({ errors: [{ message: 'x' }], extensions: { cost: 3 } });
    expectSameText({ extensions: { only: true } });
    expectSameText({});
    expectSameText({ data: { list: [new Thrown(), undefined, { a: undefined, b: 1 }, new Thrown()], item: new Thrown(), gone: undefined } });
  });

  it('matches JSON.stringify on generated data', () => {
    for (let seed = 1; seed <= 100; seed++) {
      const next = random(seed);
      const data = { root: value(next, 0), big: Array.from({ length: Math.floor(next() * 1500) }, () => value(next, 3)) };
      expectSameText({ data });
    }
  });
});
