/**
 * Buffers kept from one large answer to the next, for the fast lane's body.
 * Written as strings, a 100 kB answer is copied by the socket into memory
 * it allocates for that one write and frees after: under the course list
 * that memory came back from the allocator as fresh pages, and its page
 * faults were the largest single source of the gateway's faults (a perf
 * record of page faults under the bench, bench/README-results.md). A
 * buffer taken here is written into once, handed to the socket, and given
 * back only when the response has finished, that is when the socket is done
 * with it; a response that never finishes (the client went away) never
 * gives it back, and it is simply collected.
 */

/** Below this a string write costs less: the head and the body leave as one string. */
export const POOLED_FROM_BYTES = 16 * 1024;
/** Larger answers are rare: not kept. */
export const POOLED_UP_TO_BYTES = 4 * 1024 * 1024;
/** Capacities are multiples of this, so that one buffer serves answers of about the same size. */
const STEP = 64 * 1024;
/** About the answers in flight at once on a busy gateway; more are allocated and dropped. */
const KEPT = 16;

const free: Buffer[] = [];

/** A buffer of at least `bytes`, or undefined when the answer is better written as strings. */
export function takeAnswerBuffer(bytes: number): Buffer | undefined {
  if (bytes < POOLED_FROM_BYTES || bytes > POOLED_UP_TO_BYTES) return undefined;
  for (let index = free.length - 1; index >= 0; index--) {
    const buffer = free[index]!;
    if (buffer.length < bytes) continue;
    free[index] = free[free.length - 1]!;
    free.pop();
    return buffer;
  }
  return Buffer.allocUnsafeSlow(Math.ceil(bytes / STEP) * STEP);
}

/** Only once nothing reads `buffer` any more (the response's finish). A buffer larger than any handed out is not kept. */
export function giveBackAnswerBuffer(buffer: Buffer): void {
  if (free.length < KEPT && buffer.length <= POOLED_UP_TO_BYTES) free.push(buffer);
}
