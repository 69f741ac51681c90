/**
 * Meet: live classes of Academy courses on LiveKit. Rooms, tokens and
 * recordings are LiveKit's; class status and attendance follow its
 * webhooks, repaired by a periodic reconciliation.
 */
import type { Kysely } from 'kysely';
import { createKysely } from '../../platform/database/connection.js';
import { forRequest } from '../../platform/database/request-database.js';
import { CourseAccess } from '../../platform/federation/course-access.js';
import { lazyContext } from '../../platform/subgraph/lazy-context.js';
import type { SubgraphModule, SubgraphRuntime } from '../../platform/subgraph/subgraph-module.js';
import type { MeetContext } from './context.js';
import type { MeetDatabase } from './database.js';
import { attendanceCsvRoute } from './attendance/attendance-csv-route.js';
import { AttendanceReports } from './attendance/attendance-reports.js';
import { Reconciler } from './jobs/reconciler.js';
import { academyRoster } from './jobs/roster-enforcement.js';
import { RoomOpeningJob } from './jobs/room-opening.js';
import { WebhookRetentionJob } from './jobs/webhook-retention.js';
import { LiveKitApi } from './livekit/livekit-api.js';
import { meetMigrations } from './migrations/index.js';
import { RecordingControl } from './recordings/recording-control.js';
import { RecordingFiles } from './recordings/recording-files.js';
import { recordingDownloadRoute } from './recordings/recording-download-route.js';
import { RecordingUrlSigner } from './recordings/recording-url.js';
import { AttendanceRepository } from './repositories/attendance-repository.js';
import { LiveClassRepository } from './repositories/live-class-repository.js';
import { RecordingRepository } from './repositories/recording-repository.js';
import { resolvers } from './resolvers/index.js';
import { seedMeet } from './seed.js';
import { AttendanceService } from './services/attendance-service.js';
import { ClassAccess } from './services/class-access.js';
import { JoinService } from './services/join-service.js';
import { LiveClassService } from './services/live-class-service.js';
import { ModerationService } from './services/moderation-service.js';
import { RecordingService } from './services/recording-service.js';
import { SchedulingService } from './services/scheduling-service.js';
import { livekitWebhookRoute } from './webhooks/livekit-webhook-route.js';
import { LiveKitWebhookHandler } from './webhooks/webhook-handler.js';

/** The runtime, plus what tests drive directly: reconciliation and room opening on demand. */
export interface MeetRuntime extends SubgraphRuntime<MeetContext> {
  reconciler: Reconciler;
  roomOpening: RoomOpeningJob;
  webhookRetention: WebhookRetentionJob;
}

/** What a request's services share, built for every request (the services themselves on first read). */
interface MeetRequestShared {
  requestDb: Kysely<MeetDatabase>;
  courses: CourseAccess;
  access: ClassAccess;
  control: RecordingControl;
}

export async function startMeet({ config, databaseUrl, log }: Parameters<SubgraphModule['start']>[0]): Promise<MeetRuntime> {
  const settings = config.meet;
  const db = createKysely<MeetDatabase>(databaseUrl, 'meet');
  const classRepository = new LiveClassRepository(db);
  const recordingRepository = new RecordingRepository(db);
  const attendanceRepository = new AttendanceRepository(db);
  const livekit = new LiveKitApi(config, settings);
  const signer = new RecordingUrlSigner(config.internalSigningSecret, settings.recordingsPublicUrl, settings.recordingUrlTtlSeconds);
  const files = new RecordingFiles(settings, signer);
  const recordingControl = new RecordingControl(db, livekit, files);
  const roster = academyRoster(config);
  const webhooks = new LiveKitWebhookHandler(db, recordingControl, log, livekit, roster);
  const attendanceReports = new AttendanceReports(
    config.internalSigningSecret,
    settings.recordingsPublicUrl,
    settings.recordingUrlTtlSeconds,
    classRepository,
    attendanceRepository,
  );
  const reconciler = new Reconciler(db, livekit, recordingControl, settings, log, roster);
  reconciler.startTimer();
  const roomOpening = new RoomOpeningJob(db, livekit, settings, log);
  roomOpening.startTimer();
  const webhookRetention = new WebhookRetentionJob(db, settings, log);
  webhookRetention.startTimer();
  return {
    reconciler,
    roomOpening,
    webhookRetention,
    // The request's statements are cancelled with it: its own Kysely and repositories (request-database.ts).
    // Attendance reports (signed CSV links) keep the process's: reads of a report nobody cancels.
    // Each service is built when a resolver first reads it (lazy-context.ts): a fetch reads one or two.
    createContext: lazyContext<MeetContext, MeetRequestShared>(
      (base) => {
        const requestDb = forRequest(db, base.signal);
        const courses = new CourseAccess(config, base.viewer);
        return { requestDb, courses, access: new ClassAccess(base.viewer, courses), control: new RecordingControl(requestDb, livekit, files) };
      },
      {
        liveClasses: ({ viewer }, { requestDb, access }) => new LiveClassService(viewer, access, new LiveClassRepository(requestDb)),
        scheduling: ({ viewer, liveClasses, log }, { requestDb, access, control }) => new SchedulingService(viewer, access, liveClasses, requestDb, livekit, control, log),
        joins: ({ viewer, liveClasses }, { requestDb, access }) => new JoinService(viewer, access, liveClasses, requestDb, livekit, config, settings),
        recordings: ({ viewer, liveClasses }, { requestDb, access, control }) => new RecordingService(viewer, access, new RecordingRepository(requestDb), liveClasses, control),
        moderation: ({ viewer, liveClasses }, { requestDb, access }) => new ModerationService(viewer, access, liveClasses, requestDb, livekit),
        attendance: ({ viewer }, { requestDb, access, courses }) => new AttendanceService(viewer, access, new AttendanceRepository(requestDb), attendanceReports, courses),
      },
    ),
    routes: [livekitWebhookRoute(config, settings, webhooks, log), recordingDownloadRoute(files, signer, recordingRepository), attendanceCsvRoute(config, attendanceReports, log)],
    stop: async () => {
      await Promise.all([reconciler.stop(), roomOpening.stop(), webhookRetention.stop()]);
    },
  };
}

export const meetSubgraph: SubgraphModule<MeetContext> = {
  name: 'meet',
  dbSchema: 'meet',
  migrations: meetMigrations,
  resolvers,
  start: startMeet,
  seed: (deps) => seedMeet(deps),
};
