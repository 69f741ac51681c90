/**
 * Academy's topics: a Moodle notification was written for a user (published
 * in the same transaction), for whoever delivers it further, e.g. by mail.
 */
import { decimalId, object, string, uuid } from '../payload-schema.js';
import { defineTopic } from '../topic-registry.js';

export const academyTopics = {
  'academy.notification.created': defineTopic('academy.notification.created', {
    schema: object({
      company_id: uuid(),
      /** `mdl_notifications.id`. */
      notification_id: decimalId(),
      /** Moodle user id of the recipient (`useridto`). */
      user_id: decimalId(),
      /** The notification's `eventtype`, e.g. liveclass_reminder. */
      kind: string(),
    }),
    keyOf: (p) => p.notification_id,
    description: 'A Moodle notification (mdl_notifications + its popup row) was written for a user.',
  }),
};
