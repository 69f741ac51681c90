/**
 * Every shared subscription's fan-outs, written from one queue in turns:
 * one chunk of clients per turn of the event loop, then the fan-out goes
 * to the back of the queue (a big one does not hold back a small one).
 *
 * Each fan-out used to yield between its own chunks (setImmediate): with k
 * fan-outs under way (one per caller of an event), a turn ran k chunks
 * before the loop read its sockets again, so the other callers' upstream
 * events and subgraph answers waited k chunks at every step of their
 * completions, and the loop sat idle at the end waiting for completions
 * it had started late. One queue bounds that wait to one chunk, whatever
 * the number of fan-outs. Which caller's clients are written first does
 * not change when an event's n-th frame is written (each costs about the
 * same): only the loop's idle time does.
 */
import type { ClientStream } from './client-stream.js';
import type { EventMessage } from './event-message.js';

/** Clients written between two reads of the loop's sockets: a few ms of writes. */
const CHUNK = 250;

interface FanOut {
  clients: readonly ClientStream[];
  message: EventMessage;
  next: number;
  done: () => void;
  fail: (error: unknown) => void;
}

const queue: FanOut[] = [];
let turnScheduled = false;

/** Writes `message` to `clients` in chunks, taking turns with the other fan-outs; resolves after the last write. */
export function fanOutInTurn(clients: readonly ClientStream[], message: EventMessage): Promise<void> {
  return new Promise((done, fail) => {
    queue.push({ clients, message, next: 0, done, fail });
    // An idle queue writes the first chunk now: a small fan-out costs no turn of the loop.
    if (queue.length === 1) writeChunk();
  });
}

function writeChunk(): void {
  turnScheduled = false;
  const fanOut = queue[0];
  if (!fanOut) return;
  const { clients, message } = fanOut;
  const end = Math.min(clients.length, fanOut.next + CHUNK);
  try {
    for (let index = fanOut.next; index < end; index++) clients[index]!.push(message);
    fanOut.next = end;
    queue.shift();
    if (end === clients.length) fanOut.done();
    else queue.push(fanOut);
  } catch (error) {
    // Its own subscription learns of it (as when each fan-out looped alone); the queue goes on.
    queue.shift();
    fanOut.fail(error);
  }
  if (queue.length > 0 && !turnScheduled) {
    turnScheduled = true;
    setImmediate(writeChunk);
  }
}
