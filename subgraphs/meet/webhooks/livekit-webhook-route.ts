/**
 * POST /webhooks/livekit: LiveKit's signed webhooks. The signature (a JWT
 * signed with our API secret, whose `sha256` claim hashes the body) is
 * checked on the raw bytes before anything is parsed: unsigned or tampered
 * requests get 401. A validly signed body that is not a WebhookEvent gets
 * 400 (LiveKit's retries cannot fix it), events older than
 * MEET_WEBHOOK_MAX_AGE_SECONDS 400 (replays), and a repeated event id is
 * acknowledged without effect. Stale and repeated events are logged. An
 * event without createdAt (LiveKit always sets it) is dated, and its age
 * judged, by its token's nbf (LiveKit's signing time) or iat; with neither, 400.
 */
import { createHash } from 'node:crypto';
import type { TokenVerifier, WebhookEvent, WebhookReceiver } from 'livekit-server-sdk';
import type { MeetConfig, PlatformConfig } from '../../../platform/config.js';
import { BodyTooLargeError, readBody } from '../../../platform/http/read-body.js';
import { sendJson } from '../../../platform/http/respond.js';
import type { Logger } from '../../../platform/logger.js';
import type { HttpRoute } from '../../../platform/subgraph/subgraph-module.js';
import { toMeetEvent, type MeetWebhookEvent } from './livekit-event.js';
import type { LiveKitWebhookHandler } from './webhook-handler.js';
import { livekitSdk } from '../livekit/sdk.js';

export const LIVEKIT_WEBHOOK_PATH = '/webhooks/livekit';

export function livekitWebhookRoute(config: PlatformConfig, settings: MeetConfig, handler: LiveKitWebhookHandler, log: Logger): HttpRoute {
  // Made at the first webhook (the SDK loads then, see ../livekit/sdk.ts). The parser only parses: the signature
  // is verified by `verify` below, on the exact bytes received.
  let sdk: { verifier: TokenVerifier; parser: WebhookReceiver } | undefined;
  const livekit = () => {
    if (sdk) return sdk;
    const { TokenVerifier, WebhookReceiver } = livekitSdk();
    sdk = { verifier: new TokenVerifier(config.livekit.apiKey, config.livekit.apiSecret), parser: new WebhookReceiver(config.livekit.apiKey, config.livekit.apiSecret) };
    return sdk;
  };

  /** When signed by our LiveKit over exactly these bytes, the signing time (nbf, else iat; null if neither), else why not. */
  async function verify(raw: Buffer, token: string | undefined): Promise<{ signedAt: Date | null } | { refusal: string }> {
    if (!token) return { refusal: 'authorization header is empty' };
    try {
      const claims = await livekit().verifier.verify(token);
      const sha256 = createHash('sha256').update(raw).digest('base64');
      if (claims.sha256 !== sha256) return { refusal: 'sha256 checksum of body does not match' };
      const seconds = claims.nbf ?? claims.iat;
      return { signedAt: typeof seconds === 'number' && seconds > 0 ? new Date(seconds * 1000) : null };
    } catch (error) {
      return { refusal: (error as Error).message };
    }
  }

  return {
    method: 'POST',
    path: LIVEKIT_WEBHOOK_PATH,
    handle: async (request, response) => {
      let raw: Buffer;
      try {
        raw = await readBody(request, 1_000_000);
      } catch (error) {
        if (error instanceof BodyTooLargeError) return sendJson(response, 413, { error: error.message });
        throw error;
      }
      // LiveKit sends the bare token; accept a `Bearer ` prefix too.
      const token = request.headers.authorization?.replace(/^Bearer\s+/i, '');
      const signed = await verify(raw, token);
      if ('refusal' in signed) {
        log.warn({ reason: signed.refusal }, 'refused a LiveKit webhook');
        return sendJson(response, 401, { error: `Webhook refused: ${signed.refusal}` });
      }
      let event: MeetWebhookEvent;
      try {
        const body = raw.toString('utf8');
        const received: WebhookEvent = await livekit().parser.receive(body, undefined, true);
        event = toMeetEvent(received, signed.signedAt, (JSON.parse(body) as { participant?: { kind?: unknown } } | null)?.participant?.kind);
      } catch (error) {
        log.warn({ err: error }, 'signed LiveKit webhook is not a WebhookEvent');
        return sendJson(response, 400, { error: `Webhook is not a LiveKit WebhookEvent: ${(error as Error).message}` });
      }
      if (!event.id) return sendJson(response, 400, { error: 'Webhook event has no id' });
      const ageSeconds = (Date.now() - event.createdAt.getTime()) / 1000;
      if (Math.abs(ageSeconds) > settings.webhookMaxAgeSeconds) {
        log.warn({ event: event.event, id: event.id, room: event.roomName, ageSeconds: Math.round(ageSeconds) }, 'refused a stale LiveKit webhook (replay?)');
        return sendJson(response, 400, {
          error: `Webhook refused: stale event ${event.id}, created ${Math.round(ageSeconds)} s ago (limit ${settings.webhookMaxAgeSeconds} s)`,
        });
      }
      const outcome = await handler.handle(event);
      if (outcome === 'duplicate') log.warn({ event: event.event, id: event.id, room: event.roomName }, 'LiveKit webhook delivered again (retry or replay); not applied twice');
      else log.info({ event: event.event, id: event.id, room: event.roomName, outcome }, 'LiveKit webhook');
      sendJson(response, 200, { status: outcome });
    },
  };
}
