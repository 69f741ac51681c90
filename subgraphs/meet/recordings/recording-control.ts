/**
 * Starting and stopping a class's recording in LiveKit (a room composite
 * egress into one MP4 file) and keeping the row that tracks it. Callers
 * check permissions; this is also what auto-recording uses on room_started.
 */
import type { Kysely } from 'kysely';
import { conflict } from '../../../platform/errors.js';
import type { MeetDatabase } from '../database.js';
import type { LiveKitApi } from '../livekit/livekit-api.js';
import type { LiveClassModel, RecordingModel } from '../models.js';
import { RecordingRepository } from '../repositories/recording-repository.js';

export class RecordingControl {
  constructor(private readonly db: Kysely<MeetDatabase>, private readonly livekit: LiveKitApi) {}

  /** Starts recording a LIVE class, unless a recording of it already runs (CONFLICT). */
  async start(liveClass: LiveClassModel): Promise<RecordingModel> {
    const repository = new RecordingRepository(this.db);
    if (await repository.findActiveOfClass(liveClass.id)) throw conflict(`Live class ${liveClass.id} is already being recorded`);
    // Relative to egress's storage (its local directory, or its S3 bucket) and to MEET_RECORDINGS_DIR, which must be the same place.
    const fileKey = `${liveClass.roomName}/${new Date().toISOString().replace(/[:.]/g, '-')}.mp4`;
    const egress = await this.livekit.startRoomRecording(liveClass.roomName, fileKey);
    return repository.insert({
      companyId: liveClass.companyId,
      liveClassId: liveClass.id,
      courseId: liveClass.courseId,
      egressId: egress.egressId,
      storage: 'local',
      fileKey,
      startedAt: new Date(),
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
}
