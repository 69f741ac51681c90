/**
 * Every topic of the platform, by name. Importing this module registers them
 * (publishEvent, consumers and the ingestion endpoint import it), and gives
 * the payload type of each topic to typed handlers.
 */
import type { TopicDefinition } from '../topic-registry.js';
import { academyTopics } from './academy-topics.js';
import { calendarTopics } from './calendar-topics.js';
import { documentsTopics } from './documents-topics.js';
import { erpTopics } from './erp-topics.js';
import { meetTopics } from './meet-topics.js';

export const TOPICS = { ...erpTopics, ...meetTopics, ...calendarTopics, ...documentsTopics, ...academyTopics };

export type TopicName = keyof typeof TOPICS;
export type TopicPayload<T extends TopicName> = (typeof TOPICS)[T] extends TopicDefinition<infer Payload> ? Payload : never;
