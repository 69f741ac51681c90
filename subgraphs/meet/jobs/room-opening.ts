/**
 * Opens each class's LiveKit room when its join window opens (teachers may
 * join MEET_TEACHER_JOIN_WINDOW_MINUTES before the start), every
 * MEET_ROOM_OPEN_INTERVAL_SECONDS, so the first participant finds the room
 * ready with meet's empty timeout and participant limit instead of one
 * LiveKit auto-creates with its defaults. A join still opens a missing room
 * itself (services/room-opening.ts): this job is not needed for correctness.
 *
 * Opening a room does not make the class LIVE, although LiveKit announces it
 * with room_started: see the rule in webhooks/webhook-handler.ts.
 */
import type { Kysely } from 'kysely';
import type { MeetConfig } from '../../../platform/config.js';
import { PeriodicJob } from '../../../platform/jobs/periodic-job.js';
import type { Logger } from '../../../platform/logger.js';
import type { MeetDatabase } from '../database.js';
import type { LiveKitApi } from '../livekit/livekit-api.js';
import { LiveClassRepository } from '../repositories/live-class-repository.js';
import { openRoom } from '../services/room-opening.js';

export interface RoomOpeningReport {
  opened: string[];
  failed: string[];
}

export class RoomOpeningJob {
  private readonly periodic: PeriodicJob<RoomOpeningReport>;

  constructor(
    private readonly db: Kysely<MeetDatabase>,
    private readonly livekit: LiveKitApi,
    private readonly settings: MeetConfig,
    private readonly log: Logger,
  ) {
    this.periodic = new PeriodicJob('opening rooms', () => this.openDue(new Date()), log);
  }

  startTimer(): void {
    this.periodic.start(this.settings.roomOpenIntervalSeconds * 1000);
  }

  stop(): Promise<void> {
    return this.periodic.stop();
  }

  run(now = new Date()): Promise<RoomOpeningReport> {
    return this.periodic.run(() => this.openDue(now));
  }

  private async openDue(now: Date): Promise<RoomOpeningReport> {
    const opensBefore = new Date(now.getTime() + this.settings.teacherJoinWindowMinutes * 60_000);
    const due = await new LiveClassRepository(this.db).listDueForRoom(opensBefore, now);
    const report: RoomOpeningReport = { opened: [], failed: [] };
    for (const liveClass of due) {
      try {
        await openRoom(this.db, this.livekit, this.settings, liveClass, now);
        report.opened.push(liveClass.id);
      } catch (error) {
        // Next round tries again; until then a join opens it.
        report.failed.push(liveClass.id);
        this.log.warn({ err: error, liveClassId: liveClass.id }, 'could not open the LiveKit room ahead of the class');
      }
    }
    if (report.opened.length || report.failed.length) this.log.info(report, 'opened LiveKit rooms for classes whose join window opened');
    return report;
  }
}
