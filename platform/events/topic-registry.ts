/**
 * Every topic the backbone carries, with its payload schema and the payload
 * field that names the entity. Publishing an unknown topic is refused, and
 * payloads are validated both on publish (a clear error for the producer)
 * and on consume (a dead letter, never a crash loop).
 */
import { PayloadError, validatePayload, type Schema } from './payload-schema.js';

export interface TopicDefinition<Payload = unknown> {
  name: string;
  schema: Schema<Payload>;
  /** The entity key of an event, from its payload (used when a sender gives none, e.g. ingestion). */
  keyOf: (payload: Payload) => string;
  description: string;
}

/** Lower-case dotted names, `domain.entity.verb`: short, and safe as a NOTIFY payload. */
export const TOPIC_NAME_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*){1,4}$/;
const MAX_TOPIC_LENGTH = 100;

const registry = new Map<string, TopicDefinition<any>>();

export class UnknownTopicError extends Error {
  constructor(readonly topic: string) {
    super(`Unknown event topic "${topic}": topics are declared with defineTopic (platform/events/topics/)`);
    this.name = 'UnknownTopicError';
  }
}

export function defineTopic<Payload>(name: string, definition: { schema: Schema<Payload>; keyOf: (payload: Payload) => string; description: string }): TopicDefinition<Payload> {
  if (!TOPIC_NAME_PATTERN.test(name) || name.length > MAX_TOPIC_LENGTH) throw new Error(`Invalid topic name "${name}"`);
  const existing = registry.get(name);
  if (existing && existing.schema !== definition.schema) throw new Error(`Topic "${name}" is defined twice`);
  const topic = { name, ...definition };
  registry.set(name, topic);
  return topic;
}

export function findTopic(name: string): TopicDefinition | undefined {
  return registry.get(name);
}

export function requireTopic(name: string): TopicDefinition {
  const topic = registry.get(name);
  if (!topic) throw new UnknownTopicError(name);
  return topic;
}

export function registeredTopics(): string[] {
  return [...registry.keys()].sort();
}

/** Validates a payload for its topic; throws UnknownTopicError or PayloadError. */
export function checkEventPayload(topic: string, payload: unknown): unknown {
  return validatePayload(topic, requireTopic(topic).schema, payload);
}

export { PayloadError };
