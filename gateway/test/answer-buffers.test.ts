/**
 * The fast lane's kept answer buffers (gateway/answer-buffers.ts): a buffer
 * is handed out again only once given back, small and huge answers are left
 * to string writes.
 */
import { describe, expect, it } from 'vitest';
import { POOLED_FROM_BYTES, POOLED_UP_TO_BYTES, giveBackAnswerBuffer, takeAnswerBuffer } from '../answer-buffers.js';

describe('answer buffers', () => {
  it('hands a buffer out again only once it is given back, and only when large enough', () => {
    const first = takeAnswerBuffer(100_000)!;
    const second = takeAnswerBuffer(100_000)!;
    expect(first.length).toBeGreaterThanOrEqual(100_000);
    expect(second).not.toBe(first);
    giveBackAnswerBuffer(first);
    expect(takeAnswerBuffer(300_000)).not.toBe(first);
    expect(takeAnswerBuffer(90_000)).toBe(first);
    expect(takeAnswerBuffer(90_000)).not.toBe(first);
  });

  it('does not keep a buffer larger than any it hands out', () => {
    const huge = Buffer.allocUnsafeSlow(8 * 1024 * 1024);
    giveBackAnswerBuffer(huge);
    expect(takeAnswerBuffer(POOLED_UP_TO_BYTES)).not.toBe(huge);
  });

  it('leaves small and huge answers to string writes', () => {
    expect(takeAnswerBuffer(POOLED_FROM_BYTES - 1)).toBeUndefined();
    expect(takeAnswerBuffer(64 * 1024 * 1024)).toBeUndefined();
  });
});
