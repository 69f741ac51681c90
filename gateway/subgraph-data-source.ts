/**
 * How the gateway calls a subgraph: one keep-alive connection pool per
 * subgraph (bounded: subgraph-http-client.ts for plain http:, undici's Pool
 * for https:), a timeout per call, and the caller's identity signed over the
 * exact body (see platform/auth/gateway-signature.ts). A subgraph
 * that is down or slow yields an error naming it, never a crash, and the
 * rest of the answer is still served.
 *
 * Retries: a query whose request never reached a subgraph (a pooled socket
 * the subgraph closed, as after its restart) is sent once more; a mutation
 * never is, since it may have run.
 *
 * Merging: a query whose body is byte-identical to one already in flight to
 * the same subgraph, for a caller whose identity claims are byte-identical
 * too (the same person asking the same thing: their identity headers would
 * differ only in the second they were signed in), waits for that request's
 * answer instead of sending another (in-flight-requests.ts). The identity
 * is part of the key, so nothing is shared across people or companies;
 * mutations are never merged. The merged caller's request id and trace
 * headers do not reach the subgraph (the first caller's do).
 */
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { Pool, type Dispatcher } from 'undici';
import { bodyHash, IDENTITY_HEADER, signedIdentityKey, signIdentityOfHash } from '../platform/auth/gateway-signature.js';
import type { HistogramSeries } from '../platform/observability/series-metrics.js';
import { injectTraceHeaders, tracingEnabled } from '../platform/observability/tracing.js';
import type { GatewayContext } from './gateway-context.js';
import { gatewayMetrics } from './gateway-metrics.js';
import type { CancelSignal } from './cancellation.js';
import type { AnswerReader } from './execution/execute-plan.js';
import { InFlightRequests } from './in-flight-requests.js';
import { requestBody } from './request-body.js';
import { decodeAnswerChunks } from './subgraph-answer-text.js';
import { type ExchangeHandler, SubgraphHttpClient } from './subgraph-http-client.js';

export interface SubgraphDataSourceOptions {
  name: string;
  url: string;
  signingSecret: string;
  /** Per call, headers to body. Default 10 s. */
  timeoutMs?: number;
  /** Sockets per subgraph. Default 64. */
  connections?: number;
  /** Largest answer read from the subgraph per fetch (the rest is not read). Default: no bound. */
  maxResponseBytes?: number;
}

type GatewayResponse = Awaited<ReturnType<GraphQLDataSource['process']>>;
/**
 * A subgraph's answer as read. A class, not an object literal, as everything made per fetch that points at the
 * answer's text: V8 pretenured the literal's allocation site under the course list (its objects then born old,
 * keeping each answer's young text alive through every scavenge until a mark-compact: bench/README-results.md).
 */
class RawAnswer {
  constructor(
    readonly statusCode: number,
    readonly text: string,
    /** Whether the answer's bytes were ASCII (subgraph-answer-text.ts's decodeAnswer). */
    readonly ascii: boolean,
    /** Whether its text is known free of control characters (subgraph-answer-text.ts's DecodedAnswer). */
    readonly controlFree: boolean,
  ) {}
}

/** Failures where the subgraph cannot have received the request, so a query may be sent again. */
const UNSENT = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'UND_ERR_SOCKET']);

/** Every request's first headers, as undici's flat list of names and values. */
const FIXED_HEADERS = ['content-type', 'application/json', 'accept', 'application/json'] as const;
const FIXED_HEADER_LINES = 'content-type: application/json\r\naccept: application/json\r\n';
/** What a header value may hold on the wire (RFC 9110 §5.5, as undici and Node check); anything else is refused. */
const UNSAFE_HEADER_VALUE = /[^\t\x20-\x7e\x80-\xff]|^[\t ]|[\t ]$/;
/** The one-byte text on the wire: what SubgraphHttpClient writes as Latin-1 must be ASCII. */
const NOT_ASCII = /[^\t\x20-\x7e]/;

const KEEP_ALIVE_MS = 30_000;
const OK = 'ok';
const ERROR = 'error';

/**
 * One subgraph answer read whole, through undici's dispatch API: the bytes
 * collected into one Buffer, the status kept, the headers left as undici read
 * them. Pool.request wraps the same exchange in a Readable body, an async
 * iterator and its promises, which the gateway never needs: it parses the
 * whole answer at once (bench/README-results.md). The request's signal
 * aborts the exchange, before the connection or during it, as
 * Pool.request's `signal` does.
 */
class AnswerCollector implements Dispatcher.DispatchHandler {
  private statusCode = 0;
  private chunks: Buffer[] = [];
  private length = 0;
  private abort: ((reason?: Error) => void) | undefined = undefined;
  private readonly onAbort: (() => void) | undefined = undefined;

  constructor(
    private readonly resolve: (answer: RawAnswer) => void,
    private readonly reject: (error: unknown) => void,
    private readonly signal: CancelSignal | undefined,
    /** Whether a reader will ask if the answer is free of control characters (subgraph-answer-text.ts). */
    private readonly lookOver: boolean,
  ) {
    if (signal && !signal.aborted) {
      this.onAbort = () => this.abort?.(signal.reason as Error);
      signal.addEventListener('abort', this.onAbort, { once: true });
    }
  }

  onConnect(abort: (reason?: Error) => void): void {
    // Cancelled before a connection was found for it: it is never sent.
    if (this.signal?.aborted) return abort(this.signal.reason as Error);
    this.abort = abort;
  }

  onHeaders(statusCode: number): boolean {
    // 1xx informational answers come before the real one.
    if (statusCode >= 200) this.statusCode = statusCode;
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    this.length += chunk.length;
    return true;
  }

  onComplete(): void {
    this.stopListening();
    // Decoded one-byte whatever characters it holds, several chunks in a buffer reused by every answer
    // (subgraph-answer-text.ts): what is decoded is a copy.
    const { text, ascii, controlFree } = decodeAnswerChunks(this.chunks, this.length, this.lookOver);
    // Emptied in place: a fresh `[]` here was another allocation site V8 pretenured.
    this.chunks.length = 0;
    this.resolve(new RawAnswer(this.statusCode, text, ascii, controlFree));
  }

  onError(error: Error): void {
    this.stopListening();
    this.reject(error);
  }

  private stopListening(): void {
    if (this.onAbort) this.signal!.removeEventListener('abort', this.onAbort);
  }
}

/** An answer of SubgraphHttpClient, decoded as AnswerCollector's. */
class CollectedAnswer implements ExchangeHandler {
  constructor(
    private readonly resolve: (answer: RawAnswer) => void,
    private readonly reject: (error: unknown) => void,
    private readonly lookOver: boolean,
  ) {}

  onComplete(statusCode: number, chunks: Buffer[], length: number): void {
    const { text, ascii, controlFree } = decodeAnswerChunks(chunks, length, this.lookOver);
    this.resolve(new RawAnswer(statusCode, text, ascii, controlFree));
  }

  onError(error: Error): void {
    this.reject(error);
  }
}

/** A header line's value as SubgraphHttpClient may send it, or an error (never a request split by a CR LF in it). */
function checkedValue(name: string, value: string): string {
  if (UNSAFE_HEADER_VALUE.test(value) || NOT_ASCII.test(value)) throw new Error(`Invalid ${name} header value`);
  return value;
}

export class SubgraphDataSource implements GraphQLDataSource<GatewayContext> {
  /** Plain http: subgraphs (every one the platform runs), through SubgraphHttpClient; https: through undici's Pool. */
  private readonly client: SubgraphHttpClient | undefined;
  private readonly pool: Pool | undefined;
  private readonly path: string;
  private readonly origin: string;
  private readonly inFlight = new InFlightRequests<RawAnswer>();
  /** This subgraph's series of fetch times, taken once (platform/observability/series-metrics.ts). */
  private readonly okTimes: HistogramSeries;
  private readonly errorTimes: HistogramSeries;
  private readonly mergedCounter: { inc: () => void };

  readonly name: string;

  constructor(private readonly options: SubgraphDataSourceOptions) {
    this.name = options.name;
    this.okTimes = gatewayMetrics.subgraphFetch.series({ subgraph: options.name, outcome: OK });
    this.errorTimes = gatewayMetrics.subgraphFetch.series({ subgraph: options.name, outcome: ERROR });
    this.mergedCounter = gatewayMetrics.subgraphRequestsMerged.labels({ subgraph: options.name });
    const url = new URL(options.url);
    this.path = url.pathname + url.search;
    this.origin = url.origin;
    const connections = options.connections ?? 64;
    const connectTimeoutMs = Math.min(options.timeoutMs ?? 10_000, 5_000);
    if (url.protocol === 'http:') {
      this.client = new SubgraphHttpClient({
        url,
        connections,
        keepAliveTimeoutMs: KEEP_ALIVE_MS,
        connectTimeoutMs,
        answerTimeoutMs: options.timeoutMs ?? 10_000,
        maxResponseBytes: options.maxResponseBytes ?? 0,
      });
    } else {
      this.pool = new Pool(url.origin, {
        connections,
        keepAliveTimeout: KEEP_ALIVE_MS,
        connectTimeout: connectTimeoutMs,
        headersTimeout: options.timeoutMs ?? 10_000,
        bodyTimeout: options.timeoutMs ?? 10_000,
        ...(options.maxResponseBytes && { maxResponseSize: options.maxResponseBytes }),
      });
    }
  }

  process({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayResponse> {
    return this.fetch(request.query ?? '', request.variables, request.operationName, context as GatewayContext | undefined, /^\s*mutation\b/.test(request.query ?? ''));
  }

  /**
   * One GraphQL request to the subgraph, as the gateway's executor sends it (see execution/plan-executor.ts); `read`
   * is tried on the answer's text before JSON.parse (execution/entity-answer-reader.ts).
   */
  async fetch(
    query: string,
    variables: Record<string, unknown> | undefined,
    operationName: string | undefined,
    context: GatewayContext | undefined,
    isMutation: boolean,
    read?: AnswerReader,
  ): Promise<GatewayResponse> {
    const body = requestBody(query, variables, operationName);
    const started = performance.now();

    let statusCode: number;
    let text: string;
    let ascii: boolean;
    let controlFree: boolean;
    try {
      const signal = context?.signal;
      // Encoded once, for the signature and the socket alike (undici sends a Buffer as it is, where it would
      // encode a string again); with an identity, its SHA-256, which the signature binds, taken once too.
      const bytes = Buffer.from(body);
      const digest = context?.viewer ? bodyHash(bytes) : undefined;
      // Only an answer a reader takes (execution/entity-answer-reader.ts) is looked over for control characters.
      const lookOver = read !== undefined;
      if (isMutation) ({ statusCode, text, ascii, controlFree } = await this.exchange(bytes, digest, context, signal, true, lookOver));
      else {
        // Keyed by whom the identity names, not by its header: one signed a second later must still merge. With
        // an identity, the body by its SHA-256 (signed with it), not by itself: hashing a 6 kB key string for
        // the map cost the course list ~0.15 M instructions (bench/README-results.md).
        const key = digest !== undefined ? `${signedIdentityKey(context!.viewer!)}\n${digest}` : `\n${body}`;
        // Signed only when sent: a merged caller waits for the first caller's request, identity and all.
        const { result, merged } = this.inFlight.run(key, signal, (upstream) => this.exchange(bytes, digest, context, upstream, false, lookOver));
        if (merged) this.mergedCounter.inc();
        ({ statusCode, text, ascii, controlFree } = await result);
      }
    } catch (error) {
      this.observe(ERROR, started);
      throw this.failed(error, context?.signal);
    }
    let parsed: GatewayResponse;
    try {
      parsed = ((read && read(text, ascii, controlFree)) ?? JSON.parse(text)) as GatewayResponse;
    } catch {
      this.observe(ERROR, started);
      throw this.unavailable(`Subgraph "${this.options.name}" answered HTTP ${statusCode} without a GraphQL body`);
    }
    if (!parsed || (parsed.data === undefined && !parsed.errors)) {
      this.observe(ERROR, started);
      throw this.unavailable(`Subgraph "${this.options.name}" answered HTTP ${statusCode} without data or errors`);
    }
    this.observe(OK, started);
    return parsed;
  }

  private observe(outcome: typeof OK | typeof ERROR, started: number): void {
    (outcome === OK ? this.okTimes : this.errorTimes).observe((performance.now() - started) / 1000);
  }

  /**
   * A request's headers as undici's flat list (names lower-case, as undici would make them): the caller's
   * identity signed over the exact body, its request id, the trace context.
   */
  private headers(digest: string | undefined, context: GatewayContext | undefined): string[] {
    const headers =
      context?.viewer && digest !== undefined
        ? [...FIXED_HEADERS, IDENTITY_HEADER, signIdentityOfHash(this.options.signingSecret, context.viewer, this.options.name, digest), 'x-request-id', context.requestId]
        : [...FIXED_HEADERS];
    if (tracingEnabled()) {
      const trace: Record<string, string> = {};
      injectTraceHeaders(trace);
      for (const [name, value] of Object.entries(trace)) headers.push(name, value);
    }
    return headers;
  }

  /**
   * The same headers as SubgraphHttpClient's lines. The identity is base64url by construction; the request id and
   * trace values come from elsewhere and are checked, as undici checked every value.
   */
  private headerLines(digest: string | undefined, context: GatewayContext | undefined): string {
    let lines =
      context?.viewer && digest !== undefined
        ? `${FIXED_HEADER_LINES}${IDENTITY_HEADER}: ${signIdentityOfHash(this.options.signingSecret, context.viewer, this.options.name, digest)}\r\nx-request-id: ${checkedValue('x-request-id', context.requestId)}\r\n`
        : FIXED_HEADER_LINES;
    if (tracingEnabled()) {
      const trace: Record<string, string> = {};
      injectTraceHeaders(trace);
      for (const [name, value] of Object.entries(trace)) lines += `${name}: ${checkedValue(name, value)}\r\n`;
    }
    return lines;
  }

  /** Sends the request, and a query once more when it never reached the subgraph; `digest`: bodyHash(bytes). */
  private exchange(
    bytes: Buffer,
    digest: string | undefined,
    context: GatewayContext | undefined,
    signal: CancelSignal | undefined,
    isMutation: boolean,
    lookOver: boolean,
  ): Promise<RawAnswer> {
    let send: () => Promise<RawAnswer>;
    try {
      if (this.client) {
        const lines = this.headerLines(digest, context);
        send = () => this.sendLean(lines, bytes, signal, lookOver);
      } else {
        const headers = this.headers(digest, context);
        send = () => this.send(headers, bytes, signal, lookOver);
      }
    } catch (error) {
      return Promise.reject(error);
    }
    return send().catch((error: { code?: string }) => {
      const mayRetry = error.code !== undefined && UNSENT.has(error.code) && !isMutation && !signal?.aborted;
      if (!mayRetry) throw error;
      return send();
    });
  }

  private sendLean(lines: string, body: Buffer, signal: CancelSignal | undefined, lookOver: boolean): Promise<RawAnswer> {
    return new Promise<RawAnswer>((resolve, reject) => this.client!.request(lines, body, signal, new CollectedAnswer(resolve, reject, lookOver)));
  }

  private send(headers: string[], body: Buffer, signal: CancelSignal | undefined, lookOver: boolean): Promise<RawAnswer> {
    return new Promise<RawAnswer>((resolve, reject) => {
      this.pool!.dispatch({ origin: this.origin, method: 'POST', path: this.path, headers, body }, new AnswerCollector(resolve, reject, signal, lookOver));
    });
  }

  /** Why a fetch failed, with a stable code: the request's time ran out, its answer was too large, or the subgraph is unavailable. */
  private failed(error: unknown, signal: CancelSignal | undefined): GraphQLError {
    const extensions = { serviceName: this.options.name };
    if (signal?.aborted) {
      const reason = signal.reason as { code?: string; message?: string } | undefined;
      return new GraphQLError(`Subgraph "${this.options.name}" was cancelled: ${reason?.message ?? 'the request ended'}`, {
        extensions: { ...extensions, code: reason?.code ?? 'REQUEST_CANCELLED' },
      });
    }
    if ((error as { code?: string }).code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') {
      return new GraphQLError(`Subgraph "${this.options.name}" answered more than the ${this.options.maxResponseBytes} bytes an operation may return`, {
        extensions: { ...extensions, code: 'RESPONSE_TOO_LARGE' },
      });
    }
    return this.unavailable(`Subgraph "${this.options.name}" is unavailable: ${(error as Error).message}`);
  }

  private unavailable(message: string): GraphQLError {
    return new GraphQLError(message, { extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: this.options.name } });
  }

  async close(): Promise<void> {
    await (this.client ?? this.pool!).close();
  }
}
