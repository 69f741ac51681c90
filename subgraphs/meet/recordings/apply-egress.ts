/**
 * Brings a recording row up to what LiveKit says of its egress (from a
 * webhook or from reconciliation), forward only, publishing
 * meet.recording.ready when the file is complete. Runs in the caller's
 * transaction. An egress settles the recording start claim that asked
 * for its file (recording-control.ts): what that claim waited to
 * learn, that its start was carried out, is known. An egress still
 * recording a class that ended or was cancelled is named (`outlived`): an
 * ended class records nothing more, so the caller, after commit, stops it
 * (RecordingControl.stopOutlived), whichever way meet heard of it.
 */
import type { Transaction } from 'kysely';
import type { MeetDatabase } from '../database.js';
import type { LiveClassModel, RecordingModel } from '../models.js';
import { LiveClassRepository } from '../repositories/live-class-repository.js';
import { ACTIVE_RECORDING, RecordingRepository, STALE_START_SECONDS } from '../repositories/recording-repository.js';
import { publishRecordingReady } from '../services/class-events.js';
import type { MeetEgress } from '../webhooks/livekit-event.js';
import type { RecordingStorage } from './recording-files.js';
import { isForward, recordingStatusOf } from './recording-status.js';

export interface AppliedEgress {
  /** False when there was nothing to change. */
  changed: boolean;
  /** The recording, still RECORDING, and its class, when the class is over: for the caller to stop after commit. */
  outlived: { recording: RecordingModel; liveClass: LiveClassModel } | null;
}

const UNCHANGED: AppliedEgress = { changed: false, outlived: null };

/** `storage`: where an egress meet did not start itself (adopted here) wrote, i.e. the configured storage. */
export async function applyEgress(trx: Transaction<MeetDatabase>, egress: MeetEgress, storage: RecordingStorage): Promise<AppliedEgress> {
  const recordings = new RecordingRepository(trx);
  const liveClass = await new LiveClassRepository(trx).findByRoomForUpdate(egress.roomName);
  if (!liveClass) return UNCHANGED; // not a class of ours
  // Before the recording's row, as starters take it (recording-control.ts): ordered with them, no deadlock.
  await recordings.lockStartsOfClass(liveClass.id);
  const known = await recordings.findByEgressForUpdate(egress.egressId);
  // An egress records one room for life: a known one said to be of another class's room (or company's) is not believed.
  if (known && known.liveClassId !== liveClass.id) return UNCHANGED;
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
  const forward = isForward(recording.status, status);
  const now = forward ? status : recording.status;
  await recordings.dropStartOf(liveClass.id, egress.requestedFile, (ACTIVE_RECORDING as readonly string[]).includes(now), STALE_START_SECONDS);
  const over = liveClass.status === 'ENDED' || liveClass.status === 'CANCELLED';
  if (!forward) return { changed: false, outlived: over && now === 'RECORDING' ? { recording, liveClass } : null };
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
  return { changed: true, outlived: over && updated.status === 'RECORDING' ? { recording: updated, liveClass } : null };
}
