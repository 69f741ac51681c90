/**
 * Hostile requests to every plain HTTP way in (README "Security model"), on
 * the gateway's public origin and on the service behind it: each route's
 * ordinary request (signed URLs, tokens and signatures minted for real
 * through GraphQL or with the configured secrets) sent again with one thing
 * wrong: the method, the path (dot segments, %00, %2f, overlong, non-UUID),
 * the query (repeated, tampered or expired signature), the headers
 * (missing, duplicated, huge, invalid bytes, a Content-Length that lies,
 * odd Authorization, Range, tus Upload-* values) or the body (empty,
 * truncated, huge, invalid UTF-8, invalid, wrongly shaped or deeply nested
 * JSON). What must hold: an answer always comes (no dropped connection, no
 * hang), never a 5xx, a 4xx says why, and nothing is written. Random bytes
 * come from a fixed seed (HOSTILE_HTTP_SEED).
 */
import { createHash } from 'node:crypto';
import net from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signDevUserToken } from '../platform/auth/user-token.js';
import { DEMO_COMPANIES, DEMO_ENDED_LIVE_CLASS, DEMO_ERP } from '../platform/demo/demo-ids.js';
import { signIngestRequest } from '../platform/events/ingest-signature.js';
import { signWebhook } from './livekit/send-webhook.js';
import { storedState } from './support/hostile-fuzz.js';
import { encodeRequest, exchange, type RawOutcome, type RawRequest } from './support/raw-http.js';
import { startTestPlatform, type TestPlatform } from './support/test-platform.js';

const SEED = Number(process.env.HOSTILE_HTTP_SEED ?? 20_261_206);
/** Only the cases whose `<way>, <case>` matches (while looking into one). */
const ONLY = new RegExp(process.env.HOSTILE_HTTP_ONLY ?? '');
/** Requests in flight at once. */
const PARALLEL = Number(process.env.HOSTILE_HTTP_PARALLEL ?? 16);
/** Tables background work changes on its own, or that record refusals by design (password attempts, applied webhook ids). */
const VOLATILE = /share_attempts|share_password_failures|webhook_events|rate_limit/;

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform({
    env: {
      GATEWAY_RATE_LIMIT_STORE: 'off',
      // A body that never comes whole is answered 408 after this, not after the default five minutes.
      HTTP_REQUEST_TIMEOUT_MS: '5000',
      HTTP_UPLOAD_IDLE_TIMEOUT_MS: '5000',
    },
  });
});
afterAll(async () => {
  await platform?.stop();
});

const portOf = (url: string) => Number(new URL(url).port);
/** Every subgraph's service: each serves GraphQL, health and metrics of its own. */
const SERVICES = ['academy', 'erp', 'meet', 'calendar', 'documents'] as const;
const pathOf = (url: string) => {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
};

async function mutate<T = any>(username: string, query: string, variables?: Record<string, unknown>): Promise<T> {
  const { data, errors } = await platform.query(username, query, variables);
  expect(errors).toBeUndefined();
  return data;
}

/** One way in: its ordinary request, where it is served, and the hostile variants only it has. */
interface Way {
  name: string;
  /** The gateway's port and the owning service's (both are ways in: the service may be reached around the gateway). */
  ports: number[];
  base: RawRequest;
  own?: [string, RawRequest][];
  /** Tables an accepted variant may change (a share link's download count). */
  writes?: RegExp;
  /** One request at a time: tus takes one request per upload at a time, a newer one aborting the older (its lock). */
  serial?: boolean;
}

const seeded = <T>(arbitrary: fc.Arbitrary<T>, count: number, salt: number) => fc.sample(arbitrary, { seed: SEED + salt, numRuns: count });
const bytes = (...values: number[]) => Buffer.from(values);
const INVALID_UTF8 = bytes(0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80, 0x22, 0x7d);
const DEEP_JSON = Buffer.from(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
const DEEP_OBJECT = Buffer.from(`${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`);

/** A query string with its parameters tampered: each alone changed, repeated, or all of them repeated with other values. */
function tamperedQueries(target: string): string[] {
  const [path, query] = target.split('?') as [string, string | undefined];
  if (!query) return [`${path}?sig=x&sig=y`, `${path}?${'a=1&'.repeat(2_000)}`];
  const params = new URLSearchParams(query);
  const variants: string[] = [path, `${path}?${query}&${query}`, `${path}?${query.replace(/=/g, '=x')}`, `${target}&expires=1`, `${path}?expires=1&${query}`];
  for (const [name, value] of params) {
    const flipped = new URLSearchParams(params);
    flipped.set(name, value.length > 1 ? `${value.slice(0, -1)}${value.endsWith('A') ? 'B' : 'A'}` : 'A');
    variants.push(`${path}?${flipped}`);
    const removed = new URLSearchParams(params);
    removed.delete(name);
    variants.push(`${path}?${removed}`);
  }
  variants.push(
    `${path}?expires=${Math.floor(Date.now() / 1000) - 60}&${[...params]
      .filter(([name]) => name !== 'expires')
      .map(([n, v]) => `${n}=${encodeURIComponent(v)}`)
      .join('&')}`,
  );
  return variants;
}

function tamperedPaths(target: string): string[] {
  const [path, query] = target.split('?') as [string, string | undefined];
  const suffix = query ? `?${query}` : '';
  const cut = path.slice(0, path.lastIndexOf('/') + 1);
  const last = path.slice(cut.length);
  return [
    `${path}/../../../../etc/passwd${suffix}`,
    `${cut}..%2f..%2f..%2fetc%2fpasswd${suffix}`,
    `${cut}%2e%2e/%2e%2e/health/live${suffix}`,
    `${path}%00${suffix}`,
    `${cut}${last}%00.ics${suffix}`,
    `${cut}%ZZ${suffix}`,
    `${cut}%c3%28${suffix}`,
    `${cut}not-a-uuid${suffix}`,
    `${cut}00000000-0000-0000-0000-000000000000${suffix}`,
    `${cut}${'a'.repeat(8_000)}${suffix}`,
    `${cut}${'%41'.repeat(2_000)}${suffix}`,
    `${path}/${suffix}`,
    `${path}//${suffix}`,
    `/${path}${suffix}`,
    `${cut}${last.toUpperCase()}${suffix}`,
  ];
}

/** The variants every way gets, from its ordinary request. */
function hostileVariants(base: RawRequest): [string, RawRequest][] {
  const withHeaders = (name: string, headers: [string, string | Buffer][], extra: Partial<RawRequest> = {}): [string, RawRequest] => [
    name,
    { ...base, headers: [...(base.headers ?? []), ...headers], ...extra },
  ];
  const withBody = (name: string, body: Buffer, extra: Partial<RawRequest> = {}): [string, RawRequest] => [name, { ...base, body, ...extra }];
  const garbage = seeded(fc.uint8Array({ minLength: 1, maxLength: 4_096 }), 3, 1).map((array) => Buffer.from(array));
  return [
    ['as it is', base],
    ...['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'PROPFIND', 'CONNECT', 'M-SEARCH']
      .filter((method) => method !== base.method)
      .map((method): [string, RawRequest] => [`method ${method}`, { ...base, method }]),
    ...tamperedPaths(base.target).map((target): [string, RawRequest] => [`path ${target.slice(0, 80)}`, { ...base, target }]),
    ...tamperedQueries(base.target).map((target): [string, RawRequest] => [`query ${target.slice(0, 120)}`, { ...base, target }]),
    ['no headers of its own', { ...base, headers: [] }],
    withHeaders('Content-Type twice, differing', [
      ['content-type', 'application/json'],
      ['content-type', 'text/plain'],
    ]),
    withHeaders('Content-Type garbled', [['content-type', 'application/json; charset=ebcdic; boundary=";;;']]),
    withHeaders('Content-Type multipart without a boundary', [['content-type', 'multipart/form-data']]),
    withHeaders('Content-Type form', [['content-type', 'application/x-www-form-urlencoded']]),
    withHeaders('a header of invalid UTF-8 bytes', [
      ['x-share-password', bytes(0xc3, 0x28, 0xff, 0xa0)],
      ['upload-token', bytes(0xff, 0xfe)],
      ['authorization', bytes(0x42, 0x65, 0x61, 0x72, 0x65, 0x72, 0x20, 0xff, 0xc0)],
    ]),
    withHeaders('a 12 kB header', [['x-filler', 'x'.repeat(12_000)]]),
    withHeaders('a 70 kB header', [['x-filler', 'x'.repeat(70_000)]]),
    withHeaders(
      '200 repeated headers',
      Array.from({ length: 200 }, (): [string, string] => ['x-repeated', 'yes']),
    ),
    withHeaders('Authorization: Bearer', [['authorization', 'Bearer']]),
    withHeaders('Authorization: Bearer with spaces', [['authorization', 'Bearer   a b c']]),
    withHeaders('Authorization: Basic', [['authorization', 'Basic YWRtaW46YWRtaW4=']]),
    withHeaders('Authorization: a JWT with alg none', [['authorization', 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.']]),
    withHeaders('Authorization: 8 kB', [['authorization', `Bearer ${'A'.repeat(8_000)}`]]),
    withHeaders('Authorization twice', [
      ['authorization', 'Bearer one'],
      ['authorization', 'Bearer two'],
    ]),
    withHeaders('Range garbled', [['range', 'bytes=5-1,-0,abc,99999999999999999999999-']]),
    withHeaders('Range of 2,000 parts', [['range', `bytes=${Array.from({ length: 2_000 }, (_, i) => `${i}-${i}`).join(',')}`]]),
    withHeaders('Range past the end', [['range', 'bytes=9007199254740993-']]),
    withHeaders('Range in another unit', [['range', 'lines=1-2']]),
    withHeaders('If-Range garbled with a Range', [
      ['if-range', '"x'],
      ['range', 'bytes=0-0'],
    ]),
    withHeaders('Accept only event streams', [['accept', 'text/event-stream']]),
    withHeaders('Accept nothing servable', [['accept', 'application/x-nothing']]),
    // Node hands every Upgrade to the WebSocket servers' listeners, whatever the path: each must answer, not drop it.
    withHeaders('an Upgrade to h2c', [
      ['connection', 'Upgrade, HTTP2-Settings'],
      ['upgrade', 'h2c'],
      ['http2-settings', 'AAMAAABkAARAAAAAAAIAAAAA'],
    ]),
    withHeaders('an Upgrade to a WebSocket of an unknown version', [
      ['connection', 'Upgrade'],
      ['upgrade', 'websocket'],
      ['sec-websocket-version', '99'],
      ['sec-websocket-key', 'dGhlIHNhbXBsZSBub25jZQ=='],
    ]),
    withHeaders('Content-Encoding: gzip', [['content-encoding', 'gzip']]),
    withHeaders('Expect: 100-continue', [['expect', '100-continue']]),
    withHeaders('Expect: something else', [['expect', 'the-unexpected']]),
    withHeaders('X-Forwarded-For garbled', [['x-forwarded-for', 'not an address, ::ffff:999.1.1.1, , %00']]),
    ['Content-Length negative', { ...base, contentLength: '-1' }],
    ['Content-Length not a number', { ...base, contentLength: 'ten' }],
    [
      'Content-Length with chunked',
      { ...base, headers: [...(base.headers ?? []), ['transfer-encoding', 'chunked']], body: Buffer.from('5\r\nhello\r\n0\r\n\r\n'), contentLength: 5 },
    ],
    ['Content-Length twice, differing', { ...base, headers: [...(base.headers ?? []), ['content-length', '1']], contentLength: 2, body: Buffer.from('{}') }],
    ['Transfer-Encoding unknown', { ...base, headers: [...(base.headers ?? []), ['transfer-encoding', 'gzip, zz']], contentLength: 'omit' }],
    withBody('body empty', Buffer.alloc(0)),
    withBody('body truncated (Content-Length larger than sent)', Buffer.from('{"a":'), { contentLength: 4_096 }),
    withBody('body longer than its Content-Length', Buffer.from('{}{"extra":true}'), { contentLength: 2 }),
    withBody('body of invalid UTF-8', INVALID_UTF8),
    withBody('body of invalid JSON', Buffer.from('{"query": "{ __typename }",')),
    ...['[]', 'null', '"text"', '12', '{"a":{"b":[1,2,{"c":null}]}}', '{"__proto__":{"polluted":1},"constructor":{"prototype":{"x":1}}}'].map((json) =>
      withBody(`body of JSON ${json.slice(0, 20)}`, Buffer.from(json)),
    ),
    withBody('body of JSON nested 100,000 deep (arrays)', DEEP_JSON),
    withBody('body of JSON nested 50,000 deep (objects)', DEEP_OBJECT),
    withBody('body of 3 MB', Buffer.alloc(3_000_000, 0x61)),
    withBody('body chunked, 3 MB', Buffer.concat([Buffer.from(`2dc6c0\r\n`), Buffer.alloc(3_000_000, 0x61), Buffer.from('\r\n0\r\n\r\n')]), {
      contentLength: 'omit',
      headers: [...(base.headers ?? []), ['transfer-encoding', 'chunked']],
    }),
    withBody('body chunked, malformed', Buffer.from('zz\r\nhello\r\n0\r\n\r\n'), { contentLength: 'omit', headers: [...(base.headers ?? []), ['transfer-encoding', 'chunked']] }),
    ...garbage.map((body, index) => withBody(`body of random bytes #${index}`, body)),
  ];
}

const chunked = (text: string) => `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n0\r\n\r\n`;

/**
 * Readiness's own 503 when its checks only ran out of time: a busy machine (CI beside other work) slows a
 * database ping past its bound, and saying "not ready" then is what /health/ready is for. Any other 5xx,
 * or a check failing for another reason, is still a defect.
 */
function readinessTimedOut(outcome: { status: number; body: string }): boolean {
  if (outcome.status !== 503) return false;
  try {
    const answer = JSON.parse(outcome.body) as { status?: unknown; checks?: Record<string, unknown> };
    const failing = Object.values(answer.checks ?? {}).filter((result) => result !== 'ok');
    return answer.status === 'unavailable' && failing.length > 0 && failing.every((result) => typeof result === 'string' && /^timed out after \d+ ms$/.test(result));
  } catch {
    return false;
  }
}

/** What every answer must be: an answer, below 500, and a 4xx that says why. */
function problemWith(outcome: RawOutcome, method: string): string | null {
  if ('dropped' in outcome) return outcome.dropped;
  if (outcome.status >= 500 && !readinessTimedOut(outcome)) return `${outcome.status}: ${outcome.body.slice(0, 200)}`;
  // HEAD answers have no body; a 416 says its reason in Content-Range.
  if (outcome.status >= 400 && method !== 'HEAD' && outcome.status !== 416 && outcome.body.trim() === '') return `${outcome.status} without a message`;
  return null;
}

/** `run` over every item, `size` at a time: a request waiting out a timeout (a body that never comes) holds one place, not a batch. */
async function inPool<T>(items: T[], size: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await run(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
}

async function ways(): Promise<Way[]> {
  const gateway = portOf(platform.gateway!.url);
  const service = (name: keyof TestPlatform['subgraphs']) => portOf(platform.subgraphs[name]!.url);
  const { config } = platform;
  const adminToken = await platform.tokenFor('admin');
  // A checksum no variant's bytes have: a variant that happens to send 64 bytes (the __proto__ JSON body is 64) is a
  // hostile request too, not an upload its URL's holder may make.
  const upload = {
    entityType: 'task',
    entityId: DEMO_ERP.tasks[1].id,
    filename: 'hostile.bin',
    size: 64,
    checksum: createHash('sha256').update(Buffer.alloc(64, 0x62)).digest('hex'),
  };

  const ticket = (await mutate('maya.manager', 'mutation($input: RequestDocumentUploadInput!) { requestDocumentUpload(input: $input) { uploadUrl } }', { input: upload }))
    .requestDocumentUpload;
  const resumable = (await mutate('maya.manager', 'mutation($input: RequestDocumentUploadInput!) { createResumableUpload(input: $input) { uploadId token } }', { input: upload }))
    .createResumableUpload;
  const documents = (await mutate('maya.manager', '{ documents { id downloadUrl } }')).documents as { id: string; downloadUrl: string }[];
  const inDays = new Date(Date.now() + 2 * 86_400_000).toISOString();
  const shareMutation = 'mutation($id: ID!, $at: DateTime!, $password: String) { createShareLink(documentId: $id, expiresAt: $at, password: $password) { url } }';
  const share = (await mutate('maya.manager', shareMutation, { id: documents[0]!.id, at: inDays, password: null })).createShareLink.url as string;
  const guarded = (await mutate('maya.manager', shareMutation, { id: documents[0]!.id, at: inDays, password: 'correct horse' })).createShareLink.url as string;
  const feed = (await mutate('sam.student', 'mutation { rotateCalendarFeedUrl }')).rotateCalendarFeedUrl as string;
  const ended = (await mutate('admin', 'query($id: ID!) { liveClass(id: $id) { attendanceCsv { url } recordings { url } } }', { id: DEMO_ENDED_LIVE_CLASS.id })).liveClass;

  const webhookBody = JSON.stringify({ event: 'room_started', room: { name: 'hostile-room', sid: 'RM_x' }, id: 'EV_hostile', createdAt: String(Math.floor(Date.now() / 1000)) });
  const signedWebhook = async (body: Buffer): Promise<RawRequest> => ({
    method: 'POST',
    target: '/webhooks/livekit',
    headers: [
      ['content-type', 'application/webhook+json'],
      ['authorization', await signWebhook(body.toString('latin1'), config.livekit.apiKey, config.livekit.apiSecret)],
    ],
    body,
  });
  const webhookBodies: [string, Buffer][] = [
    [
      'a room of 100 kB',
      Buffer.from(JSON.stringify({ event: 'room_finished', room: { name: 'r'.repeat(100_000) }, id: 'EV_long', createdAt: String(Math.floor(Date.now() / 1000)) })),
    ],
    ['an id with NUL', Buffer.from(JSON.stringify({ event: 'room_finished', room: { name: 'x' }, id: 'EV_\u0000', createdAt: String(Math.floor(Date.now() / 1000)) }))],
    ['createdAt far away', Buffer.from(JSON.stringify({ event: 'room_finished', room: { name: 'x' }, id: 'EV_far', createdAt: '99999999999999999999' }))],
    ['an unknown event', Buffer.from(JSON.stringify({ event: 'room_exploded', id: 'EV_unknown', createdAt: String(Math.floor(Date.now() / 1000)) }))],
    [
      'an egress of odd files',
      Buffer.from(
        JSON.stringify({
          event: 'egress_ended',
          id: 'EV_egress',
          createdAt: String(Math.floor(Date.now() / 1000)),
          egressInfo: { egressId: 'EG_\u0000', roomName: '../../x', status: 'EGRESS_COMPLETE', fileResults: [{ filename: '../../../etc/passwd', size: '-1' }] },
        }),
      ),
    ],
    [
      'a participant of another shape',
      Buffer.from(
        JSON.stringify({
          event: 'participant_joined',
          id: 'EV_participant',
          createdAt: String(Math.floor(Date.now() / 1000)),
          room: { name: 'x' },
          participant: { identity: { nested: true }, kind: ['x'] },
        }),
      ),
    ],
    ['invalid UTF-8', INVALID_UTF8],
    ['nested 100,000 deep', DEEP_JSON],
    ['objects nested 50,000 deep', DEEP_OBJECT],
  ];

  const ingest = (body: Buffer): RawRequest => ({
    method: 'POST',
    target: '/events/ingest',
    headers: [['content-type', 'application/json'], ...Object.entries(signIngestRequest(config.eventIngestSecret, body))],
    body,
  });
  const company = DEMO_COMPANIES.bheem.id;
  const ingestBodies: [string, unknown][] = [
    ['a payload with NUL in a key', { id: 'h2', topic: 'erp.task.updated', company_id: company, payload: { company_id: company, 'x\u0000': 1 } }],
    ['an id of 10,000 characters', { id: 'i'.repeat(10_000), topic: 'erp.task.updated', company_id: company, payload: {} }],
    ['a topic of another type', { id: 'h3', topic: { $ne: null }, company_id: company, payload: {} }],
    ['a company that is not a UUID', { id: 'h4', topic: 'erp.task.updated', company_id: "' OR 1=1 --", payload: {} }],
    ['a payload that is an array', { id: 'h5', topic: 'erp.task.updated', company_id: company, payload: [1, 2, 3] }],
    ['a payload of huge numbers', { id: 'h6', topic: 'erp.task.updated', company_id: company, payload: { company_id: company, id: 1e308, due: -1e308 } }],
  ];

  // Created for real, so that @tus/server itself sees the hostile PATCHes and HEADs (the base's offset is wrong: 409).
  const created = await exchange(gateway, {
    method: 'POST',
    target: '/files/tus',
    headers: [
      ['tus-resumable', '1.0.0'],
      ['upload-token', resumable.token],
      ['upload-length', String(upload.size)],
    ],
  });
  expect(created).toMatchObject({ status: 201 });
  const tusBase: RawRequest = {
    method: 'PATCH',
    target: `/files/tus/${resumable.uploadId}`,
    headers: [
      ['tus-resumable', '1.0.0'],
      ['upload-token', resumable.token],
      ['upload-offset', '5'],
      ['content-type', 'application/offset+octet-stream'],
    ],
    body: Buffer.from('abc'),
  };
  const tusPost = (headers: [string, string][]): RawRequest => ({
    method: 'POST',
    target: '/files/tus',
    headers: [['tus-resumable', '1.0.0'], ['upload-token', resumable.token], ...headers],
  });
  const tusOwn: [string, RawRequest][] = [
    ...['-1', '1e3', '0x40', '64,64', '99999999999999999999999', '', 'NaN', '6.4e1', '+64'].map((length): [string, RawRequest] => [
      `POST Upload-Length ${JSON.stringify(length)}`,
      tusPost([['upload-length', length]]),
    ]),
    [
      'POST Upload-Length twice',
      tusPost([
        ['upload-length', '64'],
        ['upload-length', '65'],
      ]),
    ],
    ['POST Upload-Defer-Length', tusPost([['upload-defer-length', '1']])],
    ['POST Upload-Concat', tusPost([['upload-concat', 'final;/files/tus/a /files/tus/b']])],
    [
      'POST without Tus-Resumable',
      {
        ...tusPost([['upload-length', '64']]),
        headers: [
          ['upload-token', resumable.token],
          ['upload-length', '65'],
        ],
      },
    ],
    [
      'POST with Tus-Resumable 0.2',
      tusPost([
        ['upload-length', '65'],
        ['tus-resumable', '0.2.0'],
      ]),
    ],
    [
      'POST with Upload-Metadata garbled',
      tusPost([
        ['upload-length', '65'],
        ['upload-metadata', 'filename !!!notbase64, ,,, a b c d'],
      ]),
    ],
    [
      'POST with a forged token',
      {
        ...tusPost([['upload-length', '64']]),
        headers: [
          ['tus-resumable', '1.0.0'],
          ['upload-token', `${resumable.token.slice(0, -2)}xx`],
          ['upload-length', '64'],
        ],
      },
    ],
    [
      'POST with an alg-none token',
      {
        ...tusPost([['upload-length', '64']]),
        headers: [
          ['tus-resumable', '1.0.0'],
          ['upload-token', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.'],
          ['upload-length', '64'],
        ],
      },
    ],
    ...['-1', 'abc', '99999999999999999999999', '1', ''].map((offset): [string, RawRequest] => [
      `PATCH Upload-Offset ${JSON.stringify(offset)}`,
      {
        ...tusBase,
        headers: [
          ['tus-resumable', '1.0.0'],
          ['upload-token', resumable.token],
          ['upload-offset', offset],
          ['content-type', 'application/offset+octet-stream'],
        ],
      },
    ]),
    ['HEAD of the upload', { ...tusBase, method: 'HEAD', body: undefined }],
    [
      'DELETE with a forged token',
      {
        ...tusBase,
        method: 'DELETE',
        headers: [
          ['tus-resumable', '1.0.0'],
          ['upload-token', `${resumable.token}x`],
        ],
        body: undefined,
      },
    ],
    [
      'OPTIONS with odd request headers',
      {
        method: 'OPTIONS',
        target: '/files/tus',
        headers: [
          ['access-control-request-method', 'BREW'],
          ['access-control-request-headers', 'x, , \u0001'.replace('\u0001', '')],
          ['origin', 'null'],
        ],
      },
    ],
    ['HEAD of another upload', { ...tusBase, method: 'HEAD', target: '/files/tus/00000000-0000-4000-8000-000000000000', body: undefined }],
  ];

  const download = pathOf(documents[0]!.downloadUrl);
  return [
    {
      name: 'POST /graphql',
      ports: [gateway],
      base: {
        method: 'POST',
        target: '/graphql',
        headers: [
          ['content-type', 'application/json'],
          ['authorization', `Bearer ${adminToken}`],
        ],
        body: Buffer.from('{"query":"{ __typename }"}'),
      },
    },
    {
      name: 'GET /graphql',
      ports: [gateway],
      base: {
        method: 'GET',
        target: '/graphql?query=%7B__typename%7D',
        headers: [
          ['authorization', `Bearer ${adminToken}`],
          ['accept', 'application/graphql-response+json'],
        ],
      },
      own: [
        [
          'query repeated',
          {
            method: 'GET',
            target: '/graphql?query=%7B__typename%7D&query=%7Bx%7D&variables=%7B&variables=null&extensions=%5B%5D',
            headers: [['authorization', `Bearer ${adminToken}`]],
          },
        ],
        [
          'a mutation by GET',
          { method: 'GET', target: `/graphql?query=${encodeURIComponent('mutation { rotateCalendarFeedUrl }')}`, headers: [['authorization', `Bearer ${adminToken}`]] },
        ],
        [
          'a token of another company that is not a UUID',
          {
            method: 'GET',
            target: '/graphql?query=%7B__typename%7D',
            headers: [['authorization', `Bearer ${await signDevUserToken(config.auth, { userId: 'x', companyId: 'not-a-uuid', roles: ['admin'] })}`]],
          },
        ],
      ],
    },
    {
      name: 'the subgraph /graphql around the gateway',
      ports: SERVICES.map(service),
      base: { method: 'POST', target: '/graphql', headers: [['content-type', 'application/json']], body: Buffer.from('{"query":"{ _service { sdl } }"}') },
      own: [
        [
          'an upgrade to a WebSocket, garbled',
          {
            method: 'GET',
            target: '/graphql',
            headers: [
              ['connection', 'Upgrade'],
              ['upgrade', 'websocket'],
              ['sec-websocket-version', '99'],
              ['sec-websocket-key', '%%%'],
              ['sec-websocket-protocol', 'graphql-transport-ws, , x'],
            ],
          },
        ],
      ],
    },
    {
      name: 'POST /graphql/stream (SSE)',
      ports: [gateway],
      base: {
        method: 'POST',
        target: '/graphql/stream',
        headers: [
          ['content-type', 'application/json'],
          ['accept', 'text/event-stream'],
          ['authorization', `Bearer ${adminToken}`],
        ],
        body: Buffer.from('{"query":"{ __typename }"}'),
      },
    },
    { name: 'GET /health/ready', ports: [gateway, ...SERVICES.map(service)], base: { method: 'GET', target: '/health/ready' } },
    { name: 'GET /health/live', ports: [gateway, ...SERVICES.map(service)], base: { method: 'GET', target: '/health/live' } },
    { name: 'GET /metrics', ports: [gateway, ...SERVICES.map(service)], base: { method: 'GET', target: '/metrics' } },
    { name: 'GET /app/ (web client files)', ports: [gateway], base: { method: 'GET', target: '/app/assets/index.js' } },
    { name: 'GET /app (its redirect)', ports: [gateway], base: { method: 'GET', target: '/app' } },
    { name: 'GET / (the explorer)', ports: [gateway], base: { method: 'GET', target: '/', headers: [['accept', 'text/html']] } },
    {
      name: 'POST /webhooks/livekit',
      ports: [gateway, service('meet')],
      base: await signedWebhook(Buffer.from(webhookBody)),
      own: await Promise.all(webhookBodies.map(async ([name, body]): Promise<[string, RawRequest]> => [`signed, ${name}`, await signedWebhook(body)])),
    },
    {
      name: 'POST /events/ingest',
      ports: [gateway, service('erp')],
      base: ingest(Buffer.from(JSON.stringify({ id: 'h0', topic: 'no.such.topic', company_id: company, payload: {} }))),
      own: [
        ...ingestBodies.map(([name, body]): [string, RawRequest] => [`signed, ${name}`, ingest(Buffer.from(JSON.stringify(body)))]),
        ['signed, deep JSON', ingest(DEEP_JSON)],
        [
          'signed, a payload nested 10,000 deep',
          ingest(Buffer.from(`{"id":"h1","topic":"erp.task.updated","company_id":"${company}","payload":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`)),
        ],
        ['signed, invalid UTF-8', ingest(INVALID_UTF8)],
        [
          'timestamp of 12 nines',
          {
            ...ingest(Buffer.from('{}')),
            headers: [
              ['x-bheem-event-timestamp', '999999999999'],
              ['x-bheem-event-signature', `v1=${'0'.repeat(64)}`],
            ],
          },
        ],
        [
          'signatures 10,000 deep',
          {
            ...ingest(Buffer.from('{}')),
            headers: [
              ['x-bheem-event-timestamp', '1'],
              ['x-bheem-event-signature', 'v1=zz,'.repeat(10_000)],
            ],
          },
        ],
      ],
    },
    { name: 'GET /attendance/…csv', ports: [gateway, service('meet')], base: { method: 'GET', target: pathOf(ended.attendanceCsv.url) } },
    {
      name: 'GET /recordings/…',
      ports: [gateway, service('meet')],
      base: { method: 'GET', target: pathOf(ended.recordings[0]?.url ?? 'http://x/recordings/none?expires=1&sig=x') },
    },
    { name: 'GET /files/download/…', ports: [gateway, service('documents')], base: { method: 'GET', target: download } },
    {
      name: 'PUT /files/uploads/…',
      ports: [gateway, service('documents')],
      base: { method: 'PUT', target: pathOf(ticket.uploadUrl), headers: [['content-type', 'application/octet-stream']], body: Buffer.alloc(63, 0x61) },
    },
    { name: 'PATCH /files/tus/…', ports: [gateway, service('documents')], base: tusBase, own: tusOwn, serial: true },
    {
      name: 'GET /files/share/…',
      ports: [gateway, service('documents')],
      base: { method: 'GET', target: pathOf(share), headers: [['range', 'bytes=1-1']] },
      writes: /documents\.(share_links|document_activity)/,
    },
    {
      name: 'POST /files/share/… with a password form',
      ports: [gateway, service('documents')],
      base: {
        method: 'POST',
        target: pathOf(guarded),
        headers: [
          ['content-type', 'application/x-www-form-urlencoded'],
          ['accept', 'text/html'],
        ],
        body: Buffer.from('password=wrong'),
      },
      own: [
        [
          'a password form of 20 kB',
          { method: 'POST', target: pathOf(guarded), headers: [['content-type', 'application/x-www-form-urlencoded']], body: Buffer.from(`password=${'p'.repeat(20_000)}`) },
        ],
        [
          'a password of invalid UTF-8',
          { method: 'POST', target: pathOf(guarded), headers: [['content-type', 'application/x-www-form-urlencoded']], body: Buffer.from('password=%C3%28%FF&password=two') },
        ],
        [
          'a password header twice',
          {
            method: 'GET',
            target: pathOf(guarded),
            headers: [
              ['x-share-password', 'a'],
              ['x-share-password', 'b'],
            ],
          },
        ],
      ],
    },
    { name: 'GET /calendar/feed/….ics', ports: [gateway, service('calendar')], base: { method: 'GET', target: pathOf(feed) } },
  ];
}

// A bound for a hang, not a speed limit: every request of the suite, a few hundred, each on its own connection.
it('no hostile request to a plain HTTP way in is answered with a 5xx, dropped or left hanging, and none writes', { timeout: 900_000 }, async () => {
  const failures: string[] = [];
  let requests = 0;
  for (const way of await ways()) {
    const before = await storedState(platform.db);
    const cases = [...hostileVariants(way.base), ...(way.own ?? [])].filter(([name]) => ONLY.test(`${way.name}, ${name}`));
    const sends = way.ports.flatMap((port) => cases.map(([name, request]) => ({ port, name, request })));
    await inPool(sends, way.serial ? 1 : PARALLEL, async ({ port, name, request }) => {
      requests++;
      const outcome = await exchange(port, request);
      const problem = problemWith(outcome, request.method);
      const where = port === portOf(platform.gateway!.url) ? 'gateway' : `service :${port}`;
      if (problem) failures.push(`${way.name}, ${name} (${where}): ${problem}`);
    });
    const after = await storedState(platform.db);
    const written = [...after.keys()].filter((table) => !VOLATILE.test(table) && !way.writes?.test(table) && before.get(table) !== after.get(table));
    if (written.length > 0) failures.push(`${way.name}: wrote ${written.join(', ')}`);
  }
  console.log(`hostile HTTP: seed ${SEED}, ${requests} requests, ${failures.length} failures`);
  expect(failures).toEqual([]);
});

it('relays a chunked body as a body: it never reaches the service as a request of its own', async () => {
  const calendar = platform.subgraphs.calendar!.url.replace(/\/graphql$/, '');
  const readinessChecks = async () => {
    const metrics = await (await fetch(`${calendar}/metrics`)).text();
    return Number(/bheem_http_requests_total\{[^}]*service="calendar"[^}]*route="\/health\/ready"[^}]*status="200"[^}]*\} (\d+)/.exec(metrics)?.[1] ?? 0);
  };
  const before = await readinessChecks();
  // Relayed unframed, these bytes were a second request from the gateway to the service, its X-Forwarded-For trusted.
  const smuggled = chunked('GET /health/ready HTTP/1.1\r\nhost: calendar\r\nx-forwarded-for: 203.0.113.9\r\n\r\n');
  const outcome = await exchange(portOf(platform.gateway!.url), {
    method: 'GET',
    target: `/calendar/feed/${'x'.repeat(43)}.ics`,
    headers: [['transfer-encoding', 'chunked']],
    contentLength: 'omit',
    body: Buffer.from(smuggled),
  });
  expect(outcome).toMatchObject({ status: 404 });
  // The gateway's answer came after the service's, and any second answer would have come on the same exchange.
  expect(await readinessChecks()).toBe(before);
});

it('closes a finished event stream’s connection when the client asked for Connection: close', async () => {
  const port = portOf(platform.gateway!.url);
  const socket = net.connect(port, '127.0.0.1');
  const received: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => received.push(chunk));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.write(
    encodeRequest(port, {
      method: 'POST',
      target: '/graphql/stream',
      headers: [
        ['content-type', 'application/json'],
        ['accept', 'text/event-stream'],
        ['authorization', `Bearer ${await platform.tokenFor('admin')}`],
      ],
      body: Buffer.from('{"query":"{ __typename }"}'),
    }),
  );
  // A bound on a hang only: kept open, the connection would last the server's keep-alive timeout (65 s).
  const outcome = await Promise.race([closed.then(() => 'closed'), new Promise((resolve) => setTimeout(() => resolve('still open'), 30_000))]);
  socket.destroy();
  const answer = Buffer.concat(received).toString('utf8');
  expect(answer).toMatch(/^HTTP\/1\.1 200/);
  expect(answer).toContain('event: complete');
  expect(outcome).toBe('closed');
});
