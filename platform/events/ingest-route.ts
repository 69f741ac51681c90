/**
 * POST endpoint through which an outside event bus (Bheem Core's) feeds the
 * platform's topics: signed (ingest-signature.ts), validated against the
 * topic's schema, and idempotent on the sender's event id. An accepted event
 * is published exactly as a subgraph would publish it, so consumers and
 * live subscribers cannot tell the difference. The sender speaks for its
 * own domain only (Bheem Core: the ERP's topics): a meet, academy, calendar
 * or documents topic is refused (403), since its consumers act on it as that
 * subgraph's word (a class in Moodle's calendar, mail to a course's
 * students) with none of the checks the subgraph makes. An event of a
 * company the receiver does not know is refused (422 UNKNOWN_COMPANY),
 * for every topic alike. Protocol:
 * README.md, "Ingestion".
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { createKysely } from '../database/connection.js';
import { storableTextProblem } from '../graphql/text-input.js';
import { BodyTooLargeError, readBody } from '../http/read-body.js';
import { sendJson } from '../http/respond.js';
import { isUuid } from '../ids.js';
import { createLogger, type Logger } from '../logger.js';
import type { HttpRoute } from '../subgraph/subgraph-module.js';
import { verifyIngestSignature } from './ingest-signature.js';
import { publishEvent } from './publish-event.js';
import { checkEventPayload, findTopic, PayloadError } from './topic-registry.js';
import { erpTopics } from './topics/erp-topics.js';
import './topics/index.js';

export interface EventIngestOptions {
  databaseUrl: string;
  /** The shared HMAC secret (config.eventIngestSecret). */
  secret: string;
  /**
   * Whether the sender's company_id names a company the platform knows (for the ERP: a row of erp.companies).
   * An event of any other is refused, 422 UNKNOWN_COMPANY: consumers would mirror records (a task with no
   * assignee, a milestone) of a company nobody can sign in to, which no GraphQL caller can do.
   */
  companyExists: (companyId: string) => Promise<boolean>;
  /** Who sends: the outbox `source`, and the namespace of its event ids. Default 'bheem-core'. */
  sender?: string;
  /** Default '/events/ingest'. */
  path?: string;
  /** Accepted clock difference, in seconds. Default 300. */
  toleranceSeconds?: number;
  /** Default 256 KiB. */
  maxBodyBytes?: number;
  log?: Logger;
}

class DuplicateEvent extends Error {}

function refuse(response: Parameters<HttpRoute['handle']>[1], status: number, code: string, message: string, details?: unknown) {
  sendJson(response, status, { error: { code, message, ...(details ? { details } : {}) } });
}

export function createEventIngestRoute(options: EventIngestOptions): HttpRoute {
  const sender = options.sender ?? 'bheem-core';
  const allowedTopics = new Set<string>(Object.keys(erpTopics));
  const db = createKysely<any>(options.databaseUrl);
  const log = (options.log ?? createLogger('events')).child({ component: 'event-ingest', sender });
  return {
    method: 'POST',
    path: options.path ?? '/events/ingest',
    async handle(request, response) {
      let body: Buffer;
      try {
        body = await readBody(request, options.maxBodyBytes ?? 256 * 1024);
      } catch (error) {
        if (error instanceof BodyTooLargeError) return refuse(response, 413, 'PAYLOAD_TOO_LARGE', error.message);
        throw error;
      }
      const signature = verifyIngestSignature(options.secret, request.headers, body, { toleranceSeconds: options.toleranceSeconds });
      if (!signature.ok) {
        log.warn({ code: signature.code }, 'refused an event delivery');
        return refuse(response, 401, signature.code, signature.message);
      }

      let envelope: Record<string, unknown>;
      try {
        envelope = JSON.parse(body.toString('utf8'));
        if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope)) throw new Error('not an object');
      } catch {
        return refuse(response, 400, 'BAD_REQUEST', 'The body must be a JSON object');
      }
      const { id, topic, company_id: companyId, key, payload } = envelope;
      if (typeof id !== 'string' || id.length === 0 || id.length > 200)
        return refuse(response, 400, 'BAD_REQUEST', '"id" (the sender\'s event id) must be a string of 1 to 200 characters');
      // Stored as text (events.ingested, the outbox's key): PostgreSQL refuses NUL, and a lone surrogate would be stored changed.
      const idProblem = storableTextProblem(id);
      if (idProblem) return refuse(response, 400, 'BAD_REQUEST', `"id" ${idProblem}`);
      if (typeof topic !== 'string') return refuse(response, 400, 'BAD_REQUEST', '"topic" must be a string');
      const definition = findTopic(topic);
      if (!definition) return refuse(response, 422, 'UNKNOWN_TOPIC', `Unknown topic "${topic}"`);
      if (!allowedTopics.has(topic)) {
        log.warn({ topic }, 'refused an event of a topic the sender does not speak for');
        return refuse(response, 403, 'TOPIC_NOT_INGESTED', `"${topic}" is not ingested: ${sender} may publish only the ERP's topics`);
      }
      if (!isUuid(companyId)) return refuse(response, 400, 'BAD_REQUEST', '"company_id" must be a UUID');
      if (key !== undefined && (typeof key !== 'string' || key.length === 0)) return refuse(response, 400, 'BAD_REQUEST', '"key", when given, must be a non-empty string');
      const keyProblem = typeof key === 'string' ? storableTextProblem(key) : null;
      if (keyProblem) return refuse(response, 400, 'BAD_REQUEST', `"key" ${keyProblem}`);
      if (typeof payload === 'object' && payload !== null && 'company_id' in payload && (payload as { company_id: unknown }).company_id !== companyId) {
        return refuse(response, 422, 'INVALID_PAYLOAD', 'payload.company_id differs from company_id');
      }

      try {
        checkEventPayload(topic, payload);
      } catch (error) {
        if (error instanceof PayloadError) return refuse(response, 422, 'INVALID_PAYLOAD', error.message, error.issues);
        throw error;
      }
      // Not recorded as ingested: the sender may send it again, under the same id, once the company exists.
      if (!(await options.companyExists(companyId))) {
        log.warn({ topic, companyId }, 'refused an event of an unknown company');
        return refuse(response, 422, 'UNKNOWN_COMPANY', `Company ${companyId} is not known here: create it before sending its events`);
      }

      const bodyHash = createHash('sha256').update(body).digest('hex');
      try {
        const published = await db.transaction().execute(async (trx) => {
          const entityKey = key ?? definition.keyOf(payload as never);
          const ref = await publishEvent(trx, { topic, companyId, key: entityKey, payload: payload as object, source: sender });
          const recorded = await sql`
            INSERT INTO events.ingested (sender, sender_event_id, event_id, body_sha256)
            VALUES (${sender}, ${id}, ${ref.id}, ${bodyHash}) ON CONFLICT DO NOTHING`.execute(trx);
          // Seen before (perhaps right now, by a concurrent request): undo this publication.
          if (Number(recorded.numAffectedRows ?? 0) === 0) throw new DuplicateEvent();
          return ref;
        });
        log.info({ senderEventId: id, eventId: published.id, topic }, 'event ingested');
        return sendJson(response, 202, { eventId: published.id, duplicate: false });
      } catch (error) {
        if (!(error instanceof DuplicateEvent)) throw error;
      }
      const { rows } = await sql<{ event_id: string; body_sha256: string }>`
        SELECT event_id, body_sha256 FROM events.ingested WHERE sender = ${sender} AND sender_event_id = ${id}`.execute(db);
      const first = rows[0]!;
      if (first.body_sha256 !== bodyHash) {
        return refuse(response, 409, 'CONFLICT', `Event id "${id}" was already used for a different event`);
      }
      // Idempotent: the sender may retry until it sees a success.
      return sendJson(response, 200, { eventId: first.event_id, duplicate: true });
    },
  };
}
