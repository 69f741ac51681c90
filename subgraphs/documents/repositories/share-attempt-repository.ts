/** Wrong share passwords counted per link and client in fixed windows (documents.share_password_failures). */
import { sql } from 'kysely';
import type { DocumentsDb } from './documents-db.js';

export interface FailureWindow {
  client: string;
  failures: number;
  windowStart: Date;
}

export class ShareAttemptRepository {
  constructor(private readonly db: DocumentsDb) {}

  /** The current windows of these clients of a link (windows that began before `since` are over). */
  async windows(shareId: string, clients: string[], since: Date): Promise<FailureWindow[]> {
    const rows = await this.db
      .selectFrom('documents.share_password_failures')
      .select(['client', 'failures', 'window_start'])
      .where('share_id', '=', shareId)
      .where('client', 'in', clients)
      .where('window_start', '>', since)
      .execute();
    return rows.map((row) => ({ client: row.client, failures: row.failures, windowStart: row.window_start }));
  }

  /** One more failure for each client, in its current window or a new one starting now; one statement. */
  async recordFailure(shareId: string, clients: string[], windowSeconds: number): Promise<FailureWindow[]> {
    const { rows } = await sql<{ client: string; failures: number; window_start: Date }>`
      INSERT INTO documents.share_password_failures AS f (share_id, client, window_start, failures)
      SELECT ${shareId}::uuid, client, now(), 1 FROM unnest(${clients}::text[]) AS client
      ON CONFLICT (share_id, client) DO UPDATE SET
        failures = CASE WHEN f.window_start > now() - make_interval(secs => ${windowSeconds}) THEN f.failures + 1 ELSE 1 END,
        window_start = CASE WHEN f.window_start > now() - make_interval(secs => ${windowSeconds}) THEN f.window_start ELSE now() END
      RETURNING client, failures, window_start`.execute(this.db);
    return rows.map((row) => ({ client: row.client, failures: row.failures, windowStart: row.window_start }));
  }

  /** Windows that ended long ago are worthless. */
  async prune(before: Date): Promise<number> {
    const result = await this.db.deleteFrom('documents.share_password_failures').where('window_start', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
