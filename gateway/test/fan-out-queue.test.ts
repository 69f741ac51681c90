/**
 * The fan-outs' shared queue (fan-out-queue.ts): fan-outs take turns, and
 * the loop gets a turn after each chunk whatever the number of fan-outs
 * under way, so the other subscriptions' I/O never waits for more than one.
 */
import { describe, expect, it } from 'vitest';
import type { ClientStream } from '../subscriptions/client-stream.js';
import type { EventMessage } from '../subscriptions/event-message.js';
import { fanOutInTurn } from '../subscriptions/fan-out-queue.js';

const message = {} as EventMessage;

/** `count` clients whose deliveries are logged as `name`. */
function clients(name: string, count: number, log: string[]): ClientStream[] {
  return Array.from({ length: count }, () => ({ push: () => log.push(name) }) as unknown as ClientStream);
}

describe('fan-out queue', () => {
  it('writes a small fan-out at once when alone, and between the chunks of a big one when not', async () => {
    const log: string[] = [];
    const small = fanOutInTurn(clients('small', 3, log), message);
    expect(log).toEqual(['small', 'small', 'small']);
    await small;
    const big = fanOutInTurn(clients('big', 2000, log), message);
    const behind = fanOutInTurn(clients('behind', 3, log), message);
    await Promise.all([big, behind]);
    expect(log).toHaveLength(2006);
    // Its turn comes after one or two of the big one's chunks, not after all eight.
    expect(log.indexOf('behind')).toBeLessThanOrEqual(3 + 500);
    expect(log.lastIndexOf('big')).toBe(2005);
  });

  it('gives the loop a turn after every chunk, however many fan-outs are under way', async () => {
    const log: string[] = [];
    const fanOuts = Array.from({ length: 10 }, (_, index) => fanOutInTurn(clients(String(index), 1000, log), message));
    // Each turn of the loop: how many deliveries were written before other work (an I/O callback, say) ran.
    const seen = [log.length];
    let finished = false;
    void Promise.all(fanOuts).then(() => (finished = true));
    while (!finished) {
      await new Promise((resolve) => setImmediate(resolve));
      seen.push(log.length);
    }
    const steps = seen.slice(1).map((count, index) => count - seen[index]!);
    expect(log).toHaveLength(10_000);
    expect(steps.length).toBeGreaterThan(1);
    expect(Math.max(seen[0]!, ...steps)).toBeLessThanOrEqual(250);
  });
});
