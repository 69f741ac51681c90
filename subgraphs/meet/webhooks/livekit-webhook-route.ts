/**
 * POST /webhooks/livekit: LiveKit's signed webhooks. The signature (a JWT
 * signed with our API secret, whose `sha256` claim hashes the body) is
 * checked on the raw bytes before anything is parsed; unsigned or tampered
 * requests get 401, events older than MEET_WEBHOOK_MAX_AGE_SECONDS 400
 * (replays), and a repeated event id is acknowledged without effect.
 */
import { WebhookReceiver } from 'livekit-server-sdk';
import type { MeetConfig, PlatformConfig } from '../../../platform/config.js';
import { BodyTooLargeError, readBody } from '../../../platform/http/read-body.js';
import { sendJson } from '../../../platform/http/respond.js';
import type { Logger } from '../../../platform/logger.js';
import type { HttpRoute } from '../../../platform/subgraph/subgraph-module.js';
import { toMeetEvent } from './livekit-event.js';
import type { LiveKitWebhookHandler } from './webhook-handler.js';

export const LIVEKIT_WEBHOOK_PATH = '/webhooks/livekit';

export function livekitWebhookRoute(config: PlatformConfig, settings: MeetConfig, handler: LiveKitWebhookHandler, log: Logger): HttpRoute {
  const receiver = new WebhookReceiver(config.livekit.apiKey, config.livekit.apiSecret);
  return {
    method: 'POST',
    path: LIVEKIT_WEBHOOK_PATH,
    handle: async (request, response) => {
      let raw: string;
      try {
        raw = (await readBody(request, 1_000_000)).toString('utf8');
      } catch (error) {
        if (error instanceof BodyTooLargeError) return sendJson(response, 413, { error: error.message });
        throw error;
      }
      // LiveKit sends the bare token; accept a `Bearer ` prefix too.
      const token = request.headers.authorization?.replace(/^Bearer\s+/i, '');
      let received;
      try {
        received = await receiver.receive(raw, token);
      } catch (error) {
        log.warn({ err: error }, 'refused a LiveKit webhook');
        return sendJson(response, 401, { error: `Webhook refused: ${(error as Error).message}` });
      }
      const event = toMeetEvent(received);
      if (!event.id) return sendJson(response, 400, { error: 'Webhook event has no id' });
      const ageSeconds = (Date.now() - event.createdAt.getTime()) / 1000;
      if (Math.abs(ageSeconds) > settings.webhookMaxAgeSeconds) {
        return sendJson(response, 400, {
          error: `Webhook refused: stale event ${event.id}, created ${Math.round(ageSeconds)} s ago (limit ${settings.webhookMaxAgeSeconds} s)`,
        });
      }
      const outcome = await handler.handle(event);
      log.info({ event: event.event, id: event.id, room: event.roomName, outcome }, 'LiveKit webhook');
      sendJson(response, 200, { status: outcome });
    },
  };
}
