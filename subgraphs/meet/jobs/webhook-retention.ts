/**
 * Prunes `meet.webhook_events`, the ids of applied LiveKit webhooks, every
 * hour. An id only matters while its event could still be accepted: the
 * route refuses events older than MEET_WEBHOOK_MAX_AGE_SECONDS, so rows
 * older than MEET_WEBHOOK_RETENTION_HOURS (at least twice that age) go.
 * A DELETE by time is safe in every replica at once.
 */
import type { Kysely } from 'kysely';
import type { MeetConfig } from '../../../platform/config.js';
import { PeriodicJob } from '../../../platform/jobs/periodic-job.js';
import type { Logger } from '../../../platform/logger.js';
import type { MeetDatabase } from '../database.js';
import { WebhookEventRepository } from '../repositories/webhook-event-repository.js';

const HOUR = 3_600_000;

export class WebhookRetentionJob {
  private readonly periodic: PeriodicJob<number>;

  constructor(
    private readonly db: Kysely<MeetDatabase>,
    private readonly settings: MeetConfig,
    private readonly log: Logger,
  ) {
    this.periodic = new PeriodicJob('pruning webhook ids', () => this.prune(new Date()), log);
  }

  /** How long ids are kept, in ms: the setting, but never less than twice the webhook age limit. */
  get retentionMs(): number {
    return Math.max(this.settings.webhookRetentionHours * HOUR, 2 * this.settings.webhookMaxAgeSeconds * 1000);
  }

  startTimer(): void {
    this.periodic.start(HOUR);
  }

  stop(): Promise<void> {
    return this.periodic.stop();
  }

  /** Prunes now (or joins the run in flight); returns how many ids were forgotten. */
  run(now = new Date()): Promise<number> {
    return this.periodic.run(() => this.prune(now));
  }

  private async prune(now: Date): Promise<number> {
    const pruned = await new WebhookEventRepository(this.db).pruneCreatedBefore(new Date(now.getTime() - this.retentionMs));
    if (pruned) this.log.info({ pruned }, 'pruned applied LiveKit webhook ids');
    return pruned;
  }
}
