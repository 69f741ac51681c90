/**
 * Meet: live classes of Academy courses on LiveKit. Rooms, tokens and
 * recordings are LiveKit's; class status and attendance follow its
 * webhooks, repaired by a periodic reconciliation.
 */
import { createKysely } from '../../platform/database/connection.js';
import { CourseAccess } from '../../platform/federation/course-access.js';
import type { SubgraphModule } from '../../platform/subgraph/subgraph-module.js';
import type { MeetContext } from './context.js';
import type { MeetDatabase } from './database.js';
import { loadMeetSettings } from './meet-settings.js';
import { meetMigrations } from './migrations/index.js';
import { RecordingUrlSigner } from './recordings/recording-url.js';
import { AttendanceRepository } from './repositories/attendance-repository.js';
import { LiveClassRepository } from './repositories/live-class-repository.js';
import { RecordingRepository } from './repositories/recording-repository.js';
import { resolvers } from './resolvers/index.js';
import { seedMeet } from './seed.js';
import { AttendanceService } from './services/attendance-service.js';
import { ClassAccess } from './services/class-access.js';
import { LiveClassService } from './services/live-class-service.js';
import { RecordingService } from './services/recording-service.js';

export const meetSubgraph: SubgraphModule<MeetContext> = {
  name: 'meet',
  dbSchema: 'meet',
  migrations: meetMigrations,
  resolvers,
  async start({ config, databaseUrl }) {
    const settings = loadMeetSettings(config);
    const db = createKysely<MeetDatabase>(databaseUrl, 'meet');
    const classRepository = new LiveClassRepository(db);
    const recordingRepository = new RecordingRepository(db);
    const attendanceRepository = new AttendanceRepository(db);
    const signer = new RecordingUrlSigner(config.internalSigningSecret, settings.recordingsPublicUrl, settings.recordingUrlTtlSeconds);
    return {
      createContext: (base) => {
        const access = new ClassAccess(base.viewer, new CourseAccess(config, base.viewer));
        return {
          ...base,
          liveClasses: new LiveClassService(base.viewer, access, classRepository),
          recordings: new RecordingService(base.viewer, access, recordingRepository, signer),
          attendance: new AttendanceService(base.viewer, access, attendanceRepository),
        };
      },
    };
  },
  seed: (deps) => seedMeet(deps),
};
