/**
 * One graphql-transport-ws connection from the gateway to a subgraph,
 * carrying many subscriptions (each with its own caller's signed identity,
 * see platform/subgraph/subscriptions/subscription-protocol.ts).
 *
 * When the connection drops (the subgraph restarts, a network blip) it is
 * reopened with exponential backoff and every live subscription is sent
 * again with a payload made afresh: a new signature, and the cursor of the
 * last event received, so the subgraph resumes after it.
 */
import type { ExecutionResult, GraphQLFormattedError } from 'graphql';
import WebSocket from 'ws';
import type { Logger } from '../../platform/logger.js';

export interface UpstreamPayload {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
  extensions?: Record<string, unknown>;
}

export interface UpstreamSink {
  next: (result: ExecutionResult) => void;
  /** The subgraph refused or ended the subscription with errors. */
  error: (errors: readonly GraphQLFormattedError[]) => void;
  complete: () => void;
}

export interface UpstreamConnectionOptions {
  /** ws:// URL of the subgraph's /graphql. */
  url: string;
  /** The connection_init payload, made afresh for every (re)connection. */
  connectionParams: () => Record<string, unknown>;
  log: Logger;
  /** First retry delay; doubles up to maxBackoffMs. Default 100 ms. */
  minBackoffMs?: number;
  /** Default 5 s. */
  maxBackoffMs?: number;
}

interface Upstream {
  /** Made on every (re)subscribe. */
  payload: () => UpstreamPayload;
  sink: UpstreamSink;
}

export class UpstreamConnection {
  private readonly subscriptions = new Map<string, Upstream>();
  private socket: WebSocket | undefined;
  private acknowledged = false;
  private closing = false;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private nextId = 0;

  constructor(private readonly options: UpstreamConnectionOptions) {}

  get size(): number {
    return this.subscriptions.size;
  }

  /** Starts a subscription; the returned function ends it. */
  subscribe(payload: () => UpstreamPayload, sink: UpstreamSink): () => void {
    const id = String(++this.nextId);
    this.subscriptions.set(id, { payload, sink });
    if (this.acknowledged) this.sendSubscribe(id);
    else this.open();
    return () => {
      if (!this.subscriptions.delete(id)) return;
      if (this.acknowledged) this.send({ id, type: 'complete' });
    };
  }

  close(): void {
    this.closing = true;
    clearTimeout(this.retryTimer);
    this.socket?.close(1000, 'Gateway closing');
    this.socket = undefined;
  }

  private open(): void {
    if (this.socket || this.closing || this.retryTimer) return;
    const socket = new WebSocket(this.options.url, 'graphql-transport-ws');
    this.socket = socket;
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: this.options.connectionParams() })));
    socket.on('message', (data) => this.receive(String(data)));
    socket.on('error', (error) => this.options.log.debug({ err: error, url: this.options.url }, 'upstream subscription socket error'));
    socket.on('close', (code, reason) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.acknowledged = false;
      if (this.closing) return;
      if (this.subscriptions.size === 0) return; // reopened on the next subscribe
      const delay = Math.min((this.options.minBackoffMs ?? 100) * 2 ** this.attempt++, this.options.maxBackoffMs ?? 5_000);
      this.options.log.warn({ url: this.options.url, code, reason: String(reason), retryInMs: delay }, 'upstream subscription connection lost; reconnecting');
      this.retryTimer = setTimeout(
        () => {
          this.retryTimer = undefined;
          this.open();
        },
        delay * (0.75 + Math.random() / 2),
      );
      this.retryTimer.unref();
    });
  }

  private receive(text: string): void {
    let message: { type?: string; id?: string; payload?: any };
    try {
      message = JSON.parse(text);
    } catch {
      return void this.socket?.close(4400, 'Invalid message');
    }
    switch (message.type) {
      case 'connection_ack':
        this.acknowledged = true;
        this.attempt = 0;
        for (const id of this.subscriptions.keys()) this.sendSubscribe(id);
        return;
      case 'ping':
        return this.send({ type: 'pong' });
      case 'next':
        return this.subscriptions.get(message.id ?? '')?.sink.next(message.payload as ExecutionResult);
      case 'error': {
        const upstream = this.subscriptions.get(message.id ?? '');
        this.subscriptions.delete(message.id ?? '');
        return upstream?.sink.error(Array.isArray(message.payload) ? message.payload : [{ message: 'Subgraph error' }]);
      }
      case 'complete': {
        const upstream = this.subscriptions.get(message.id ?? '');
        this.subscriptions.delete(message.id ?? '');
        return upstream?.sink.complete();
      }
    }
  }

  private sendSubscribe(id: string): void {
    const upstream = this.subscriptions.get(id);
    if (!upstream) return;
    let payload: UpstreamPayload;
    try {
      payload = upstream.payload();
    } catch (error) {
      this.subscriptions.delete(id);
      return upstream.sink.error([{ message: (error as Error).message }]);
    }
    this.send({ id, type: 'subscribe', payload });
  }

  private send(message: object): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }
}
