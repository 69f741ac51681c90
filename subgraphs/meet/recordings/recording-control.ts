/**
 * Starting and stopping a class's recording in LiveKit (a room composite
 * egress into one MP4 file), deleting it, and keeping the row that tracks it. Callers
 * check permissions; automatic recording goes through startUnlessActive (services/class-went-live.ts).
 */
import type { Kysely } from 'kysely';
import { conflict, ErrorCode, platformError } from '../../../platform/errors.js';
import type { MeetDatabase } from '../database.js';
import type { Logger } from '../../../platform/logger.js';
import type { LiveKitApi } from '../livekit/livekit-api.js';
import type { LiveClassModel, RecordingModel } from '../models.js';
import { LiveClassRepository } from '../repositories/live-class-repository.js';
import { RecordingRepository, STALE_START_SECONDS } from '../repositories/recording-repository.js';
import { toMeetEgress } from '../webhooks/livekit-event.js';
import { applyEgress } from './apply-egress.js';
import { publishRecordingChange } from '../services/class-events.js';
import type { RecordingFiles } from './recording-files.js';

/** What a starter found under the class's start lock. */
type StartDecision = { start: string } | { settle: string } | null;

export class RecordingControl {
  constructor(
    private readonly db: Kysely<MeetDatabase>,
    private readonly livekit: LiveKitApi,
    readonly files: RecordingFiles,
  ) {}

  /** Starts recording a LIVE class, unless a recording of it already runs or a start of it is under way (CONFLICT). */
  async start(liveClass: LiveClassModel): Promise<RecordingModel> {
    const started = await this.startUnlessActive(liveClass);
    if (!started) throw conflict(`Live class ${liveClass.id} is already being recorded, or a start of its recording is under way`);
    return started;
  }

  /**
   * Starts recording unless a recording of the class is already RECORDING or PROCESSING, or another start of it is
   * under way (then null): automatic recording may be asked for by the webhook and by reconciliation, on any replica,
   * and must start one egress only. No lock nor connection is held across LiveKit's call (up to the SDK's timeout when
   * it hangs): under the class's start lock, a short transaction checks and claims the start (recording_starts);
   * LiveKit is called; another writes the recording and drops the claim. A starter deciding meanwhile finds the claim,
   * or once written the recording (the lock orders the two). A start LiveKit refused drops its claim.
   *
   * A start whose answer was lost (a reset, a timeout: LiveKit may have started the egress) keeps its claim, marked
   * unconfirmed, and so does one whose starter died (the claim STALE_START_SECONDS old): such an unsettled claim is
   * settled before any new start, by asking Egress for the room's active egresses and adopting them (applyEgress,
   * as their webhook does, which settles the claim as well). With none listed, nothing starts until the claim is stale
   * (LiveKit may still be acting on the request); then it is claimed anew and started. (Why these claim rows and the
   * reconciler's session advisory lock are two styles, both kept: jobs/reconciler.ts, RECONCILE_LOCK.)
   */
  async startUnlessActive(liveClass: LiveClassModel): Promise<RecordingModel | null> {
    // A key in the S3 bucket, or a path relative to egress's local directory, which must be MEET_RECORDINGS_DIR. The
    // claim names it: the egress asking for it is this start's (ListEgress and webhooks report the request).
    const fileKey = `${liveClass.roomName}/${new Date().toISOString().replace(/[:.]/g, '-')}.mp4`;
    const decision = await this.decide(liveClass.id, fileKey);
    if (!decision) return null;
    const claim = 'start' in decision ? decision.start : await this.settle(liveClass, decision.settle, fileKey);
    if (!claim) return null;
    let answer: Awaited<ReturnType<LiveKitApi['startRoomRecording']>>;
    try {
      answer = await this.livekit.startRoomRecording(liveClass.roomName, fileKey, this.files.egressUpload());
    } catch (error) {
      await new RecordingRepository(this.db).dropStart(liveClass.id, claim);
      throw error;
    }
    if (answer === 'unconfirmed') {
      await new RecordingRepository(this.db).markStartUnconfirmed(liveClass.id, claim);
      throw platformError(
        ErrorCode.UNCONFIRMED,
        `LiveKit did not confirm starting the recording of live class ${liveClass.id}: if it started, the recording appears as soon as meet hears of it, and no other is started meanwhile`,
      );
    }
    return this.db.transaction().execute(async (trx) => {
      const repository = new RecordingRepository(trx);
      await repository.lockStartsOfClass(liveClass.id);
      const recording = await repository.insert({
        companyId: liveClass.companyId,
        liveClassId: liveClass.id,
        courseId: liveClass.courseId,
        egressId: answer.egressId,
        storage: this.files.storage,
        fileKey,
        startedAt: new Date(),
      });
      await repository.dropStart(liveClass.id, claim);
      return recording;
    });
  }

  /** Under the class's start lock: a new claim to start with, an unsettled one to settle first, or null (nothing to start). */
  private decide(liveClassId: string, fileKey: string): Promise<StartDecision> {
    return this.db.transaction().execute(async (trx) => {
      const repository = new RecordingRepository(trx);
      await repository.lockStartsOfClass(liveClassId);
      if (await repository.findActiveOfClass(liveClassId)) return null;
      const found = await repository.findStart(liveClassId, STALE_START_SECONDS);
      if (!found) return { start: await repository.claimStart(liveClassId, fileKey) };
      return found.unsettled ? { settle: found.claim } : null; // else a start under way, awaiting LiveKit's answer
    });
  }

  /**
   * The unsettled claim `claim`: adopts the egresses LiveKit runs for the room (held by no lock: LiveKit's call), then,
   * under the lock, none active and the claim still `claim` and stale, claims it anew (the token to start with).
   */
  private async settle(liveClass: LiveClassModel, claim: string, fileKey: string): Promise<string | null> {
    await this.adoptRunning(liveClass);
    return this.db.transaction().execute(async (trx) => {
      const repository = new RecordingRepository(trx);
      await repository.lockStartsOfClass(liveClass.id);
      if (await repository.findActiveOfClass(liveClass.id)) return null;
      const found = await repository.findStart(liveClass.id, STALE_START_SECONDS);
      return found?.claim === claim && found.stale ? repository.retakeStart(liveClass.id, claim, fileKey) : null;
    });
  }

  /**
   * Reconciliation's settling of the class's unsettled start claim (its answer lost, or its starter dead): adopts the
   * egresses LiveKit runs for the room (the claim's own settles it; one outliving its class is stopped). Once the
   * claim is stale with none of its own listed, LiveKit carried nothing out: a class still to record automatically
   * (LIVE, `record`, no recording active) is started anew through startUnlessActive, whose claim and lock let one
   * egress start whoever else starts it meanwhile; any other class's claim is dropped (an ended class records nothing
   * more; a teacher's own start, told UNCONFIRMED, is theirs to make again; a recording running meanwhile is the
   * class's). `listed`: how many egresses LiveKit listed; `started`: the recording started anew.
   */
  async settleUnconfirmed(liveClass: LiveClassModel): Promise<{ listed: number; started: RecordingModel | null }> {
    const listed = await this.adoptRunning(liveClass);
    const restart = await this.db.transaction().execute(async (trx) => {
      const repository = new RecordingRepository(trx);
      await repository.lockStartsOfClass(liveClass.id);
      const found = await repository.findStart(liveClass.id, STALE_START_SECONDS);
      if (!found?.stale) return false; // settled, or LiveKit may still be acting on it
      const [current] = await new LiveClassRepository(trx).findByIdsAcrossCompanies([liveClass.id]);
      if (current?.record && current.status === 'LIVE' && !(await repository.findActiveOfClass(liveClass.id))) return true;
      await repository.dropStart(liveClass.id, found.claim);
      return false;
    });
    return { listed, started: restart ? await this.startUnlessActive(liveClass) : null };
  }

  /**
   * Adopts the egresses LiveKit runs for the class's room (ListEgress, active ones) as their webhooks would
   * (applyEgress; one meet knows is brought up to date), settling an unsettled start claim: a starter's, or
   * reconciliation's for a claim whose egress_started was lost; one outliving its class is stopped (stopOutlived).
   * How many LiveKit listed.
   */
  async adoptRunning(liveClass: LiveClassModel): Promise<number> {
    const running = await this.livekit.listEgress(liveClass.roomName, { active: true });
    for (const egress of running) {
      const meetEgress = toMeetEgress(egress);
      const { outlived } = await this.db.transaction().execute((trx) => applyEgress(trx, meetEgress, this.files.storage));
      if (outlived) await this.stopOutlived(outlived.recording);
    }
    return running.length;
  }

  /**
   * An egress still recording a class that is over (adopted after its end: its start's answer and egress_started were
   * lost; or its end could not stop it): stopped, as endLiveClass stops a class's recording, and PROCESSING as that
   * leaves it (READY when egress_ended comes). An ended class records nothing more: LiveKit would end it only with the
   * room, and an egress may outlive its room by its own timeouts. Called after applyEgress's commit, by whichever way
   * meet heard of the egress (webhook, reconciliation, a starter's settling).
   */
  async stopOutlived(recording: RecordingModel): Promise<RecordingModel | null> {
    await this.livekit.stopEgress(recording.egressId);
    return new RecordingRepository(this.db).updateWhileIn(recording.id, ['RECORDING'], { status: 'PROCESSING' });
  }

  /** Removes a finished recording's file, then hides the row (DELETED); CONFLICT while egress still writes it. */
  async delete(recording: RecordingModel): Promise<RecordingModel | null> {
    if (recording.status === 'RECORDING' || recording.status === 'PROCESSING') {
      throw conflict(`Recording ${recording.id} is still being recorded: stop it first`);
    }
    await this.files.remove(recording);
    return new RecordingRepository(this.db).updateWhileIn(recording.id, ['READY', 'FAILED'], { status: 'DELETED' });
  }

  /** Publishes or hides a recording, announcing it (the live class subscription shows it) in the same transaction. */
  async setPublished(recording: RecordingModel, liveClass: LiveClassModel, published: boolean, actorId: string | null): Promise<RecordingModel | null> {
    return this.db.transaction().execute(async (trx) => {
      const changed = await new RecordingRepository(trx).setPublished(recording.companyId, recording.id, published);
      if (changed) await publishRecordingChange(trx, published ? 'meet.recording.published' : 'meet.recording.unpublished', changed, liveClass, actorId);
      return changed;
    });
  }

  /** Asks LiveKit to stop; the file becomes READY when egress_ended arrives. */
  async stop(liveClass: LiveClassModel): Promise<RecordingModel> {
    const repository = new RecordingRepository(this.db);
    const active = await repository.findActiveOfClass(liveClass.id);
    if (!active || active.status !== 'RECORDING') throw conflict(`Live class ${liveClass.id} is not being recorded`);
    await this.livekit.stopEgress(active.egressId);
    return (await repository.updateWhileIn(active.id, ['RECORDING'], { status: 'PROCESSING' })) ?? (await repository.findByIds(liveClass.companyId, [active.id]))[0]!;
  }

  /**
   * The class ended: stops its running egress rather than trusting LiveKit to end it with the room (an egress can
   * outlive its room by its own timeouts, recording an empty room). A LiveKit failure is logged; reconciliation
   * then follows the egress to its end.
   */
  async stopForEndedClass(liveClass: LiveClassModel, log: Logger): Promise<RecordingModel | null> {
    const repository = new RecordingRepository(this.db);
    const active = await repository.findActiveOfClass(liveClass.id);
    if (!active || active.status !== 'RECORDING') return null;
    try {
      await this.livekit.stopEgress(active.egressId);
    } catch (error) {
      log.warn({ err: error, egressId: active.egressId }, 'could not stop the egress of an ended class; reconciliation follows it');
      return null;
    }
    return repository.updateWhileIn(active.id, ['RECORDING'], { status: 'PROCESSING' });
  }
}
