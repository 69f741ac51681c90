/**
 * What follows a class going LIVE, whoever noticed it (a webhook, or
 * reconciliation repairing a lost one): a class scheduled with `record: true`
 * starts recording. Called after the LIVE status committed, since LiveKit is
 * called outside transactions; a failure is logged and does not undo LIVE
 * (the teacher can still start recording by hand). Idempotent: no second
 * egress while one is RECORDING or PROCESSING.
 */
import type { Logger } from '../../../platform/logger.js';
import type { LiveClassModel } from '../models.js';
import type { RecordingControl } from '../recordings/recording-control.js';

export async function classWentLive(recordings: RecordingControl, liveClass: LiveClassModel, log: Logger): Promise<void> {
  if (!liveClass.record || liveClass.status !== 'LIVE') return;
  try {
    const started = await recordings.startUnlessActive(liveClass);
    if (started) log.info({ liveClassId: liveClass.id, egressId: started.egressId }, 'automatic recording started');
  } catch (error) {
    log.error({ err: error, liveClassId: liveClass.id }, 'automatic recording did not start');
  }
}
