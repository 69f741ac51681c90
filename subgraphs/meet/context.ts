import type { BaseContext } from '../../platform/subgraph/subgraph-module.js';
import type { AttendanceService } from './services/attendance-service.js';
import type { LiveClassService } from './services/live-class-service.js';
import type { RecordingService } from './services/recording-service.js';

export interface MeetContext extends BaseContext {
  liveClasses: LiveClassService;
  recordings: RecordingService;
  attendance: AttendanceService;
}
