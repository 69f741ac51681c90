/**
 * Reconciliation: webhooks get lost (LiveKit down, meet down, stale
 * retries), so every MEET_RECONCILE_INTERVAL_SECONDS meet compares its LIVE
 * classes with LiveKit's rooms and repairs what drifted:
 * - a SCHEDULED or WAITING class whose room holds a participant who opens
 *   it (livekit/participants.ts: a moderator, or any person when the class
 *   does not wait for one) is made LIVE (its participant_joined was lost),
 *   from the earliest such join, and then follows what the webhook would
 *   have done (automatic recording, services/class-went-live.ts); one
 *   holding only students is made WAITING; recorders, agents, SIP and
 *   ingress change nothing;
 * - a SCHEDULED class nobody joined is ENDED once its scheduled end +
 *   MEET_LIVE_GRACE_MINUTES has passed and its room is empty or gone
 *   (startedAt stays null; not while LiveKit is unreachable, since its room
 *   might hold people), so it leaves the schedule;
 * - a LIVE class whose room is gone is ENDED, a WAITING one SCHEDULED again;
 * - a LIVE class past its scheduled end + MEET_LIVE_GRACE_MINUTES is ENDED,
 *   whatever LiveKit says (so no class stays LIVE forever, even with
 *   LiveKit unreachable), and its room closed;
 * - only ACTIVE participants are present (livekit/participants.ts: those
 *   still connecting have had no participant_joined and open nothing);
 * - attendance follows the room's participants: intervals of those gone are
 *   closed where they were last seen (LiveKit gives no time of a departure
 *   whose webhook was lost; the last sight bounds it, where the next tick
 *   would over-count by up to one interval), those present and unknown are
 *   opened, those present marked seen; a room gone ends its class at the last
 *   presence known;
 * - rooms of classes that ended or were cancelled are deleted (also those
 *   of classes this run ended);
 * - recordings still RECORDING or PROCESSING take the status LiveKit
 *   reports for their egress (a lost egress_ended still yields READY);
 *   one still recording a class that is over is stopped; a recording start
 *   LiveKit did not confirm has the egress LiveKit runs for its room adopted
 *   (a lost egress_started), and once its claim is stale with none of its
 *   own listed, a class recorded automatically is started again (once);
 * - people no longer enrolled in the course (or suspended) and people a
 *   moderator removed are removed from the rooms (jobs/roster-enforcement.ts);
 * - tracks of students that meet never let publish them (track_published
 *   lost) are taken back as the webhook does, by the same judgement
 *   (webhooks/unauthorised-publishing.ts), and so is a permission LiveKit
 *   gives a student beyond their standing (a promotion withdrawn after its
 *   answer was lost).
 * Classes are handled MEET_RECONCILE_CONCURRENCY at a time in each step
 * (starting occupied ones, live ones, deleting rooms, recordings, automatic
 * recording), each live class's steps in order, so a room LiveKit is slow to
 * answer (up to the SDK's timeout) delays only its own class; one class
 * failing is logged and leaves the others be.
 * One replica at a time (a PostgreSQL advisory lock); the others skip.
 */
import { sql, type Kysely } from 'kysely';
import type { EgressInfo } from 'livekit-server-sdk';
import { eachBounded } from '../../../platform/jobs/each-bounded.js';
import { PeriodicJob } from '../../../platform/jobs/periodic-job.js';
import type { Logger } from '../../../platform/logger.js';
import type { MeetDatabase } from '../database.js';
import type { ListedParticipant, LiveKitApi } from '../livekit/livekit-api.js';
import type { MeetConfig } from '../../../platform/config.js';
import type { LiveClassModel } from '../models.js';
import { applyEgress } from '../recordings/apply-egress.js';
import { AttendanceRepository } from '../repositories/attendance-repository.js';
import { LiveClassRepository } from '../repositories/live-class-repository.js';
import { RecordingRepository, STALE_START_SECONDS } from '../repositories/recording-repository.js';
import type { RecordingControl } from '../recordings/recording-control.js';
import { markEnded, markLive, markWaiting, NOT_STARTED, stopWaiting } from '../services/class-lifecycle.js';
import { isPresent, needsMoodleRole, opensClass, participantKind, sessionOf, tokenRole } from '../livekit/participants.js';
import { publishableSources, sourceName } from '../livekit/permissions.js';
import { classWentLive } from '../services/class-went-live.js';
import { type MeetEgress, toMeetEgress, UnstorableEventError } from '../webhooks/livekit-event.js';
import { publishedUnallowed, type StudentStanding, takeBackPublishing } from '../webhooks/unauthorised-publishing.js';
import { RosterEnforcement, type CourseRoster, type RosterRemoval } from './roster-enforcement.js';

/**
 * One run at a time across replicas: a session advisory lock (lockedRun), as the platform's event consumers and
 * pruner take theirs. Meet's other locking style, the claim rows of meet.recording_starts (recordings/
 * recording-control.ts, taken under a transaction's advisory lock per class), is not a lock to fold into this one
 * or to replace it: a claim is a record of a LiveKit start in flight that must outlive its starter's transaction
 * and connection, and, its answer lost, say so (unconfirmed) until Egress is asked; a lock can hold no such state.
 * This lock needs none: released with its session when a replica dies, it asks nothing of the run, where a lease
 * row would need renewing through a run hanging on LiveKit and would let two runs overlap once it ran out. Both
 * kept, each for what the other cannot do (session 28).
 */
const RECONCILE_LOCK = 4_242_301;

export interface ReconcileReport {
  /** False when another replica held the lock. */
  ran: boolean;
  livekitReachable: boolean;
  started: string[];
  ended: { id: string; reason: string }[];
  closedIntervals: number;
  openedIntervals: number;
  deletedRooms: string[];
  recordingsUpdated: number;
  /** Classes whose automatic recording this run started anew, LiveKit having carried out none of a lost start. */
  recordingsStarted: string[];
  /** Participants removed because they may no longer be in the room. */
  removedParticipants: RosterRemoval[];
  /** Students whose publishing meet took back, held to a listener's or a speaker's permission. */
  heldToStanding: { liveClassId: string; userId: string; standing: StudentStanding }[];
}

/** A run that changed nothing yet. */
const emptyReport = (): ReconcileReport => ({
  ran: true,
  livekitReachable: true,
  started: [],
  ended: [],
  closedIntervals: 0,
  openedIntervals: 0,
  deletedRooms: [],
  recordingsUpdated: 0,
  recordingsStarted: [],
  removedParticipants: [],
  heldToStanding: [],
});

export class Reconciler {
  private readonly periodic: PeriodicJob<ReconcileReport>;
  /** Whether the last run reached LiveKit: its loss and return are logged once each, not every tick (dev runs without LiveKit). */
  private livekitReachable: boolean | undefined;

  constructor(
    private readonly db: Kysely<MeetDatabase>,
    private readonly livekit: LiveKitApi,
    private readonly recordings: RecordingControl,
    private readonly settings: MeetConfig,
    private readonly log: Logger,
    /** Academy's course participants; without it (tests of other concerns) nobody is removed. */
    private readonly roster?: CourseRoster,
  ) {
    this.periodic = new PeriodicJob('reconciliation', () => this.lockedRun(new Date()), log);
  }

  startTimer(): void {
    this.periodic.start(this.settings.reconcileIntervalSeconds * 1000);
  }

  stop(): Promise<void> {
    return this.periodic.stop();
  }

  /** Overlapping runs in one process share the one in flight; across processes, an advisory lock. */
  reconcile(now = new Date()): Promise<ReconcileReport> {
    return this.periodic.run(() => this.lockedRun(now));
  }

  /**
   * The advisory lock is a session's, so it keeps one pooled connection, idle, for the whole run, LiveKit's calls
   * included. Kept so, as it costs one connection of the process's pool (DATABASE_POOL_MAX, 10) whatever LiveKit
   * does: runs in one process share the one in flight (PeriodicJob), and the run's own work takes at most
   * MEET_RECONCILE_CONCURRENCY (4) more, each only for a statement or a short transaction, none across LiveKit's
   * calls (takebacks, removals, recording starts claim or lock only to decide and to write). Not keeping a session
   * would need a lease row whose expiry a run hanging on LiveKit renews, and a stalled replica's lease running out lets
   * two runs overlap; a connection outside the pool would be one more to PostgreSQL per replica for no gain.
   */
  private async lockedRun(now: Date): Promise<ReconcileReport> {
    return this.db.connection().execute(async (connection) => {
      const { rows } = await sql<{ locked: boolean }>`SELECT pg_try_advisory_lock(${RECONCILE_LOCK}) AS locked`.execute(connection);
      if (!rows[0]?.locked) return { ...emptyReport(), ran: false, livekitReachable: false };
      try {
        return await this.run(now);
      } finally {
        await sql`SELECT pg_advisory_unlock(${RECONCILE_LOCK})`.execute(connection);
      }
    });
  }

  private async run(now: Date): Promise<ReconcileReport> {
    const report = emptyReport();
    let rooms: Set<string> | null = null;
    let occupied: string[] = [];
    try {
      const listed = await this.livekit.listRooms();
      rooms = new Set(listed.map((room) => room.name));
      occupied = listed.filter((room) => room.numParticipants > 0).map((room) => room.name);
      if (this.livekitReachable === false) this.log.info('reconciliation: LiveKit reachable again');
    } catch (error) {
      report.livekitReachable = false;
      if (this.livekitReachable !== false) this.log.warn({ err: error }, 'reconciliation: LiveKit unreachable, only time limits apply (said once, until it is back)');
    }
    this.livekitReachable = report.livekitReachable;

    const enforcement = this.roster && new RosterEnforcement(this.db, this.livekit, this.roster, this.log);
    const wentLive = await this.startOccupied(occupied, now, report, enforcement);
    if (rooms) await this.endUnattended(new Set(occupied), now, report);
    const classes = new LiveClassRepository(this.db);
    const inRoom = [...(await classes.listInStatus('LIVE')), ...(await classes.listInStatus('WAITING'))];
    // Classes at once, each one's steps in order: a room whose LiveKit answer hangs holds up only its own class.
    await this.eachClass(inRoom, 'reconcile a class', (liveClass) => this.reconcileClass(liveClass, now, rooms, report, enforcement));

    if (rooms?.size) {
      const finished = (await new LiveClassRepository(this.db).listByRoomNames([...rooms])).filter((liveClass) => liveClass.status === 'ENDED' || liveClass.status === 'CANCELLED');
      await this.eachClass(finished, 'delete a room', (liveClass) => this.deleteRoom(liveClass.roomName, report));
    }
    if (rooms) report.recordingsUpdated = (await this.syncRecordings()) + (await this.settleUnconfirmedStarts(report));
    // After their commits, as the webhook does; not for a class this run already ended as overdue.
    const ended = new Set(report.ended.map((entry) => entry.id));
    await this.eachClass(
      wentLive.filter((candidate) => !ended.has(candidate.id)),
      'follow a class going live',
      (liveClass) => classWentLive(this.recordings, liveClass, this.log),
    );
    if (
      report.recordingsUpdated ||
      report.recordingsStarted.length ||
      report.started.length ||
      report.ended.length ||
      report.closedIntervals ||
      report.openedIntervals ||
      report.deletedRooms.length ||
      report.removedParticipants.length ||
      report.heldToStanding.length
    ) {
      this.log.info(report, 'reconciliation repaired drift');
    }
    return report;
  }

  /**
   * `work` for each class, MEET_RECONCILE_CONCURRENCY at a time (each one's own steps in order): one whose LiveKit
   * call hangs (up to the SDK's timeout) holds one lane, not the others. One that throws is logged, the others go on.
   */
  private async eachClass(classes: readonly LiveClassModel[], what: string, work: (liveClass: LiveClassModel) => Promise<void>): Promise<void> {
    await eachBounded(classes, this.settings.reconcileConcurrency, async (liveClass) => {
      try {
        await work(liveClass);
      } catch (error) {
        this.log.warn({ err: error, liveClassId: liveClass.id }, `reconciliation: could not ${what}, the others go on`);
      }
    });
  }

  /** One LIVE or WAITING class against its room (`rooms`: LiveKit's, null when unreachable): time limit, attendance, roster, publishing. */
  private async reconcileClass(liveClass: LiveClassModel, now: Date, rooms: Set<string> | null, report: ReconcileReport, enforcement?: RosterEnforcement): Promise<void> {
    const overdue = liveClass.status === 'LIVE' && now.getTime() > liveClass.endsAt.getTime() + this.settings.liveGraceMinutes * 60_000;
    if (overdue) {
      await this.end(liveClass, now, 'overdue', report);
      if (rooms?.has(liveClass.roomName)) await this.deleteRoom(liveClass.roomName, report);
      return;
    }
    if (!rooms) return;
    const participants = rooms.has(liveClass.roomName) ? await this.livekit.listParticipants(liveClass.roomName).catch(() => undefined) : null;
    if (participants === undefined) return; // LiveKit failed for this room: try again next time
    if (participants === null) {
      if (liveClass.status === 'LIVE') await this.end(liveClass, now, 'room_gone', report);
      else
        await this.db.transaction().execute(async (trx) => {
          const current = await new LiveClassRepository(trx).findByRoomForUpdate(liveClass.roomName);
          if (current?.status !== 'WAITING') return;
          const closed = await new AttendanceRepository(trx).closeDeparted(current.id, now);
          report.closedIntervals += closed;
          await stopWaiting(trx, current, now);
        });
      return;
    }
    const attendance = new AttendanceRepository(this.db);
    // Sessions still connecting are not there yet (no participant_joined either), but may be removed from the room.
    const sessions = participants.filter((participant) => participant.sid);
    const present = sessions.filter(isPresent);
    const known = new Set(await attendance.listOpenSids(liveClass.id));
    for (const participant of present) {
      if (known.has(participant.sid)) continue;
      await attendance.recordSession({
        ...sessionOf(liveClass, participant),
        joinedAt: participant.joinedAt > 0n ? new Date(Number(participant.joinedAt) * 1000) : now,
      });
      report.openedIntervals += 1;
    }
    await attendance.markSeen(
      liveClass.id,
      present.map((participant) => participant.sid),
      now,
    );
    // Read before adding: `+= await` adds to the total as it stood before the await, losing other classes' counts.
    const closed = await attendance.closeDeparted(
      liveClass.id,
      now,
      present.map((participant) => participant.sid),
    );
    report.closedIntervals += closed;
    const removed = enforcement ? await enforcement.enforce(liveClass, sessions) : [];
    report.removedParticipants.push(...removed);
    const staying = sessions.filter((participant) => !removed.some((removal) => removal.userId === participant.identity));
    await this.holdPublishers(liveClass, staying, report, enforcement);
  }

  private async syncRecordings(): Promise<number> {
    const active = await new RecordingRepository(this.db).listActive();
    if (active.length === 0) return 0;
    const classes = await new LiveClassRepository(this.db).findByIdsAcrossCompanies([...new Set(active.map((r) => r.liveClassId))]);
    const tracked = new Set(active.map((recording) => recording.egressId));
    let updated = 0;
    await this.eachClass(classes, 'bring its recordings up to date', async (liveClass) => {
      const egresses = await this.livekit.listEgress(liveClass.roomName).catch(() => []);
      for (const egress of egresses.filter((candidate) => tracked.has(candidate.egressId))) {
        const stored = storable(egress, this.log);
        if (!stored) continue;
        const { changed, outlived } = await this.db.transaction().execute((trx) => applyEgress(trx, stored, this.settings.recordingsStorage));
        // Counted after the await (`+= await` would add to the count as it stood before it, losing other classes').
        if (changed) updated += 1;
        if (outlived) await this.recordings.stopOutlived(outlived.recording);
      }
    });
    return updated;
  }

  /**
   * Classes whose recording start LiveKit did not confirm (or whose starter died): the egresses LiveKit runs for them
   * adopted, as their lost egress_started would have (the claim's own settling it); a stale claim with none of its own
   * listed, its class recorded automatically, started anew, else dropped (RecordingControl.settleUnconfirmed). How
   * many egresses LiveKit listed.
   */
  private async settleUnconfirmedStarts(report: ReconcileReport): Promise<number> {
    const ids = await new RecordingRepository(this.db).listUnsettledStarts(STALE_START_SECONDS);
    if (ids.length === 0) return 0;
    let listed = 0;
    await this.eachClass(await new LiveClassRepository(this.db).findByIdsAcrossCompanies(ids), 'settle an unconfirmed recording start', async (liveClass) => {
      const settled = await this.recordings.settleUnconfirmed(liveClass);
      listed += settled.listed;
      if (settled.started) report.recordingsStarted.push(liveClass.id);
    });
    return listed;
  }

  /**
   * SCHEDULED and WAITING classes whose rooms hold participants: LIVE since the earliest join of one who opens the class
   * (the webhook's rule, livekit/participants.ts), else WAITING while people are there. Returns those made LIVE.
   */
  private async startOccupied(roomNames: string[], now: Date, report: ReconcileReport, enforcement?: RosterEnforcement): Promise<LiveClassModel[]> {
    const madeLive: LiveClassModel[] = [];
    const notStarted = (await new LiveClassRepository(this.db).listByRoomNames(roomNames)).filter((liveClass) => (NOT_STARTED as readonly string[]).includes(liveClass.status));
    await this.eachClass(notStarted, 'start a class', async (liveClass) => {
      const participants = await this.livekit.listParticipants(liveClass.roomName).catch(() => null);
      const people = (participants ?? []).filter((participant) => participantKind(participant) === 'STANDARD' && isPresent(participant));
      if (!people.length) return;
      // Tokens naming no role count as Moodle's say: the course's teachers, asked of academy only for them.
      const teachers = liveClass.waitForModerator && enforcement && people.some(needsMoodleRole) ? (await enforcement.rosterOf(liveClass))?.teachers : null;
      const openers = people.filter((participant) => opensClass(participant, liveClass, teachers));
      const firstJoin = Math.min(...openers.map((participant) => (participant.joinedAt > 0n ? Number(participant.joinedAt) * 1000 : now.getTime())));
      const started = await this.db.transaction().execute(async (trx) => {
        const current = await new LiveClassRepository(trx).findByRoomForUpdate(liveClass.roomName);
        if (!current || !(NOT_STARTED as readonly string[]).includes(current.status)) return null; // a webhook got there first
        if (openers.length === 0) {
          await markWaiting(trx, current);
          return null;
        }
        return markLive(trx, current, new Date(firstJoin));
      });
      if (started) {
        report.started.push(liveClass.id);
        madeLive.push(started);
      }
    });
    return madeLive;
  }

  /**
   * Takes back what students publish without meet's leave, as track_published would have (its webhook lost): the
   * same judgement of each one's published sources. A token naming no role counts as Moodle's say, asked of academy
   * only for those publishing; academy silent, the webhook's rule holds (no teacher known: taken back). A student
   * holding meet's student token is also judged on what LiveKit lets them publish: more than their standing in the
   * database (a promotion whose answer was lost, then withdrawn; a change through LiveKit's API) is taken back too.
   */
  private async holdPublishers(liveClass: LiveClassModel, participants: readonly ListedParticipant[], report: ReconcileReport, enforcement?: RosterEnforcement): Promise<void> {
    for (const participant of participants) {
      const permitted = tokenRole(participant.metadata) === 'student' ? publishableSources(participant.permission) : [];
      const sources = [...new Set([...participant.tracks.map((track) => sourceName(track.source)), ...permitted])];
      if (sources.length === 0) continue;
      const teachers = enforcement && needsMoodleRole(participant) ? ((await enforcement.rosterOf(liveClass))?.teachers ?? null) : null;
      const standing = await publishedUnallowed(this.db, liveClass, participant, teachers, sources);
      if (!standing) continue;
      if (await takeBackPublishing(this.db, this.livekit, liveClass, participant.identity, this.log, standing)) {
        report.heldToStanding.push({ liveClassId: liveClass.id, userId: participant.identity, standing });
      }
    }
  }

  /** SCHEDULED classes past their end + grace whose room holds nobody (the occupied ones were just made LIVE): ENDED. */
  private async endUnattended(occupied: Set<string>, now: Date, report: ReconcileReport): Promise<void> {
    const cutoff = new Date(now.getTime() - this.settings.liveGraceMinutes * 60_000);
    const unattended = await new LiveClassRepository(this.db).listScheduledEndingBefore(cutoff);
    // Students still waiting long after the end: no teacher is coming.
    for (const liveClass of unattended.filter((candidate) => candidate.status === 'WAITING' || !occupied.has(candidate.roomName))) {
      await this.end(liveClass, now, 'unattended', report, liveClass.status === 'WAITING' ? 'WAITING' : 'SCHEDULED');
    }
  }

  private async end(liveClass: LiveClassModel, at: Date, reason: string, report: ReconcileReport, from: 'LIVE' | 'SCHEDULED' | 'WAITING' = 'LIVE'): Promise<void> {
    const ended = await this.db.transaction().execute(async (trx) => {
      const current = await new LiveClassRepository(trx).findByRoomForUpdate(liveClass.roomName);
      if (current?.status !== from) return false; // a webhook or a teacher got there first
      let endedAt = at;
      if (reason === 'room_gone') {
        // The room vanished unannounced: everyone left by their last sight, and the class ended with the last of them.
        const attendance = new AttendanceRepository(trx);
        const closed = await attendance.closeDeparted(current.id, at);
        report.closedIntervals += closed;
        endedAt = (await attendance.lastPresence(current.id)) ?? at;
      }
      await markEnded(trx, current, endedAt, reason);
      return true;
    });
    if (ended) report.ended.push({ id: liveClass.id, reason });
  }

  private async deleteRoom(roomName: string, report: ReconcileReport): Promise<void> {
    try {
      if (await this.livekit.deleteRoom(roomName)) report.deletedRooms.push(roomName);
    } catch (error) {
      this.log.warn({ err: error, room: roomName }, 'reconciliation: could not delete room');
    }
  }
}

/** The egress in meet's terms, or null (logged) for one it could not store: the others are still brought up to date. */
function storable(egress: EgressInfo, log: Logger): MeetEgress | null {
  try {
    return toMeetEgress(egress);
  } catch (error) {
    if (!(error instanceof UnstorableEventError)) throw error;
    log.warn({ egressId: egress.egressId, reason: error.message }, 'reconciliation: an egress LiveKit lists cannot be stored, skipped');
    return null;
  }
}
