/**
 * One completed event, serialized once for every client that receives it:
 * with thousands of subscribers on one shared subscription, a
 * JSON.stringify (and a UTF-8 encoding) per client would cost more than
 * the writes themselves. The graphql-ws `next` message differs between
 * clients only by the subscription id, and clients pick few distinct ids
 * (most say "1"), so each (event, id) pair is encoded once.
 */
import type { ExecutionResult } from 'graphql';

/** Distinct ids kept per event; past it (clients with odd ids), messages are encoded per client. */
const MAX_CACHED_IDS = 32;

export class EventMessage {
  private json: string | undefined;
  private readonly nextMessages = new Map<string, Buffer>();
  private sse: Buffer | undefined;

  constructor(readonly result: ExecutionResult) {}

  /** The result as JSON. */
  get payload(): string {
    return (this.json ??= JSON.stringify(this.result));
  }

  /** The graphql-transport-ws `next` message for subscription `id`, UTF-8 encoded. */
  graphqlWsNext(id: string): Buffer {
    let message = this.nextMessages.get(id);
    if (!message) {
      message = Buffer.from(`{"id":${JSON.stringify(id)},"type":"next","payload":${this.payload}}`);
      if (this.nextMessages.size < MAX_CACHED_IDS) this.nextMessages.set(id, message);
    }
    return message;
  }

  /** The Server-Sent Events `next` event (graphql-sse, distinct connections mode). */
  sseNext(): Buffer {
    // JSON has no raw line breaks, so the payload is one `data:` line.
    return (this.sse ??= Buffer.from(`event: next\ndata: ${this.payload}\n\n`));
  }
}
