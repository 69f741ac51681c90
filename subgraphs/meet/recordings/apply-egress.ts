/**
 * Brings a recording row up to what LiveKit says of its egress (from a
 * webhook or from reconciliation), forward only, publishing
 * meet.recording.ready when the file is complete. Runs in the caller's
 * transaction; false when there was nothing to change. An egress settles
 * the recording start claim that asked for its file (recording-control.ts):
 * what that claim waited to learn, that its start was carried out, is known.
 */
import type { Transaction } from 'kysely';
import type { MeetDatabase } from '../database.js';
import { LiveClassRepository } from '../repositories/live-class-repository.js';
import { ACTIVE_RECORDING, RecordingRepository, STALE_START_SECONDS } from '../repositories/recording-repository.js';
import { publishRecordingReady } from '../services/class-events.js';
import type { MeetEgress } from '../webhooks/livekit-event.js';
import type { RecordingStorage } from './recording-files.js';
import { isForward, recordingStatusOf } from './recording-status.js';

/** `storage`: where an egress meet did not start itself (adopted here) wrote, i.e. the configured storage. */
export async function applyEgress(trx: Transaction<MeetDatabase>, egress: MeetEgress, storage: RecordingStorage): Promise<boolean> {
  const recordings = new RecordingRepository(trx);
  const liveClass = await new LiveClassRepository(trx).findByRoomForUpdate(egress.roomName);
  if (!liveClass) return false; // not a class of ours
  // Before the recording's row, as starters take it (recording-control.ts): ordered with them, no deadlock.
  await recordings.lockStartsOfClass(liveClass.id);
  const known = await recordings.findByEgressForUpdate(egress.egressId);
  // An egress records one room for life: a known one said to be of another class's room (or company's) is not believed.
  if (known && known.liveClassId !== liveClass.id) return false;
  // Started elsewhere, or our own start's answer was lost: adopt it.
  const recording =
    known ??
    (await recordings.insert({
      companyId: liveClass.companyId,
      liveClassId: liveClass.id,
      courseId: liveClass.courseId,
      egressId: egress.egressId,
      storage,
      fileKey: null,
      startedAt: egress.startedAt,
    }));
  const status = recordingStatusOf(egress.status, egress.file !== null);
  const active = (ACTIVE_RECORDING as readonly string[]).includes(isForward(recording.status, status) ? status : recording.status);
  await recordings.dropStartOf(liveClass.id, egress.requestedFile, active, STALE_START_SECONDS);
  if (!isForward(recording.status, status)) return false;
  const updated = await recordings.update(recording.id, {
    status,
    started_at: recording.startedAt ?? egress.startedAt,
    ended_at: egress.endedAt,
    error: egress.error || (status === 'FAILED' && !egress.file ? `egress ended ${egress.status} without a file` : null),
    ...(egress.file && {
      file_key: recording.fileKey ?? egress.file.filename,
      location: egress.file.location || null,
      size_bytes: String(egress.file.sizeBytes),
      duration_seconds: egress.file.durationSeconds,
    }),
  });
  if (updated.status === 'READY') await publishRecordingReady(trx, updated, liveClass);
  return true;
}
