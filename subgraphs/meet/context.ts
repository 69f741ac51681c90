import type { BaseContext } from '../../platform/subgraph/subgraph-module.js';
import type { AttendanceService } from './services/attendance-service.js';
import type { JoinService } from './services/join-service.js';
import type { LiveClassService } from './services/live-class-service.js';
import type { ModerationService } from './services/moderation-service.js';
import type { RecordingService } from './services/recording-service.js';
import type { SchedulingService } from './services/scheduling-service.js';

export interface MeetContext extends BaseContext {
  liveClasses: LiveClassService;
  scheduling: SchedulingService;
  joins: JoinService;
  recordings: RecordingService;
  attendance: AttendanceService;
  moderation: ModerationService;
}
