/** Validation of what a client says about a file before it uploads it. */
import { badInput } from '../../../platform/errors.js';
import type { EntityType } from '../models.js';
import { isUuid } from '../repositories/documents-db.js';

const MAX_TAGS = 20;
const MAX_LABEL = 100;

export function parseEntityId(entityType: EntityType, entityId: string): string {
  const id = entityId.trim();
  const numeric = entityType === 'course' || entityType === 'employee';
  if (numeric ? !/^\d{1,18}$/.test(id) : !isUuid(id)) {
    throw badInput(`entityId of a ${entityType} must be ${numeric ? 'a Moodle id (digits)' : 'a uuid'}`, 'entityId');
  }
  return numeric ? id : id.toLowerCase();
}

export function parseSize(size: number, limit: number): number {
  if (!Number.isSafeInteger(size) || size < 0) throw badInput('size must be a whole number of bytes', 'size');
  if (size > limit) throw badInput(`The file is larger than the limit of ${limit} bytes`, 'size');
  return size;
}

export function parseChecksum(checksum: string | null | undefined): string | null {
  if (checksum == null || checksum === '') return null;
  if (!/^[0-9a-f]{64}$/i.test(checksum)) throw badInput('checksum must be a SHA-256 in hex (64 characters)', 'checksum');
  return checksum.toLowerCase();
}

function label(value: string, field: string): string {
  const text = value
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
    .trim();
  if (!text || text.length > MAX_LABEL) throw badInput(`${field} must have 1 to ${MAX_LABEL} characters`, field);
  return text;
}

export function parseCategory(category: string | null | undefined): string | null {
  return category == null || category.trim() === '' ? null : label(category, 'category');
}

/** Tags are told apart without regard to case: the first spelling of each is kept. */
export function parseTags(tags: readonly string[] | null | undefined): string[] {
  const unique = new Map<string, string>();
  for (const tag of (tags ?? []).map((raw) => label(raw, 'tags'))) if (!unique.has(tag.toLowerCase())) unique.set(tag.toLowerCase(), tag);
  if (unique.size > MAX_TAGS) throw badInput(`At most ${MAX_TAGS} tags`, 'tags');
  return [...unique.values()];
}

const MAX_DESCRIPTION = 2000;

/** Free text: NFC, control characters removed except line breaks and tabs; null or blank clears it. */
export function parseDescription(description: string | null | undefined): string | null {
  if (description == null) return null;
  const text = description
    .normalize('NFC')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, '')
    .trim();
  if (text.length > MAX_DESCRIPTION) throw badInput(`description must have at most ${MAX_DESCRIPTION} characters`, 'description');
  return text || null;
}
