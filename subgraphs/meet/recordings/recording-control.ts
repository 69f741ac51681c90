/**
 * Starting and stopping a class's recording in LiveKit (a room composite
 * egress into one MP4 file), deleting it, and keeping the row that tracks it. Callers
 * check permissions; automatic recording goes through startUnlessActive (services/class-went-live.ts).
 */
import type { Kysely } from 'kysely';
import { conflict } from '../../../platform/errors.js';
import type { MeetDatabase } from '../database.js';
import type { Logger } from '../../../platform/logger.js';
import type { LiveKitApi } from '../livekit/livekit-api.js';
import type { LiveClassModel, RecordingModel } from '../models.js';
import { RecordingRepository } from '../repositories/recording-repository.js';
import { publishRecordingChange } from '../services/class-events.js';
import type { RecordingFiles } from './recording-files.js';

/** A start claimed this long ago (its starter died between claim and write) is taken over: six times egress's 10 s timeout. */
const STALE_START_SECONDS = 60;

export class RecordingControl {
  constructor(
    private readonly db: Kysely<MeetDatabase>,
    private readonly livekit: LiveKitApi,
    readonly files: RecordingFiles,
  ) {}

  /** Starts recording a LIVE class, unless a recording of it already runs (CONFLICT). */
  async start(liveClass: LiveClassModel): Promise<RecordingModel> {
    const started = await this.startUnlessActive(liveClass);
    if (!started) throw conflict(`Live class ${liveClass.id} is already being recorded`);
    return started;
  }

  /**
   * Starts recording unless a recording of the class is already RECORDING or PROCESSING, or another start of it is
   * under way (then null): automatic recording may be asked for by the webhook and by reconciliation, on any replica,
   * and must start one egress only. No lock nor connection is held across LiveKit's call (up to the SDK's timeout when
   * it hangs): under the class's start lock, a short transaction checks and claims the start (recording_starts);
   * LiveKit is called; another writes the recording and drops the claim. A starter deciding meanwhile finds the claim,
   * or once written the recording (the lock orders the two). A start LiveKit fails drops its claim; one whose starter
   * died before writing is taken over once STALE_START_SECONDS old (far beyond the SDK's timeout).
   */
  async startUnlessActive(liveClass: LiveClassModel): Promise<RecordingModel | null> {
    const claim = await this.db.transaction().execute(async (trx) => {
      const repository = new RecordingRepository(trx);
      await repository.lockStartsOfClass(liveClass.id);
      if (await repository.findActiveOfClass(liveClass.id)) return null;
      return repository.claimStart(liveClass.id, STALE_START_SECONDS);
    });
    if (!claim) return null;
    // A key in the S3 bucket, or a path relative to egress's local directory, which must be MEET_RECORDINGS_DIR.
    const fileKey = `${liveClass.roomName}/${new Date().toISOString().replace(/[:.]/g, '-')}.mp4`;
    let egressId: string;
    try {
      egressId = (await this.livekit.startRoomRecording(liveClass.roomName, fileKey, this.files.egressUpload())).egressId;
    } catch (error) {
      await new RecordingRepository(this.db).dropStart(liveClass.id, claim);
      throw error;
    }
    return this.db.transaction().execute(async (trx) => {
      const repository = new RecordingRepository(trx);
      await repository.lockStartsOfClass(liveClass.id);
      const recording = await repository.insert({
        companyId: liveClass.companyId,
        liveClassId: liveClass.id,
        courseId: liveClass.courseId,
        egressId,
        storage: this.files.storage,
        fileKey,
        startedAt: new Date(),
      });
      await repository.dropStart(liveClass.id, claim);
      return recording;
    });
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
