/**
 * LiveKit egress statuses in meet's words. A recording only moves forward:
 * webhooks arrive out of order, and an `egress_updated` (ACTIVE) delivered
 * after `egress_ended` must not reopen a finished recording.
 */
import type { RecordingStatus } from '../models.js';

export function recordingStatusOf(egressStatus: string, hasFile: boolean): RecordingStatus {
  switch (egressStatus) {
    case 'EGRESS_STARTING':
    case 'EGRESS_ACTIVE':
      return 'RECORDING';
    case 'EGRESS_ENDING':
      return 'PROCESSING';
    // READY means a file to play: an egress that ended with segments (HLS) or streams only left none (recordings
    // meet starts always write a file; one started elsewhere may not). The time limit stops an egress cleanly.
    case 'EGRESS_COMPLETE':
    case 'EGRESS_LIMIT_REACHED':
      return hasFile ? 'READY' : 'FAILED';
    default:
      return 'FAILED';
  }
}

const RANK: Record<RecordingStatus, number> = { RECORDING: 0, PROCESSING: 1, READY: 2, FAILED: 2, DELETED: 3 };

export function isForward(from: RecordingStatus, to: RecordingStatus): boolean {
  return RANK[to] > RANK[from];
}
