/**
 * Academy: Course and User from Moodle's own tables. Moodle's database is
 * the one schema a subgraph may read that it does not own, by nature.
 */
import { createKysely } from '../../platform/database/connection.js';
import { forRequest } from '../../platform/database/request-database.js';
import { lazyContext } from '../../platform/subgraph/lazy-context.js';
import type { SubgraphModule } from '../../platform/subgraph/subgraph-module.js';
import { createMailer } from '../../platform/mail/mailer.js';
import type { AcademyContext } from './context.js';
import { startMoodleCalendarConsumer } from './consumers/moodle-calendar-consumer.js';
import { startNotificationMailConsumer } from './consumers/notification-mail-consumer.js';
import { startClassReminders } from './jobs/class-reminders.js';
import type { AcademyDatabase } from './database.js';
import { academyMigrations } from './migrations/index.js';
import { provisionMoodleTables } from './migrations/provision-moodle-tables.js';
import { academyDb } from './repositories/academy-db.js';
import { CourseRepository } from './repositories/course-repository.js';
import { EnrolmentRepository } from './repositories/enrolment-repository.js';
import { UserRepository } from './repositories/user-repository.js';
import { resolvers } from './resolvers/index.js';
import { seedAcademy } from './seed.js';
import { CourseService } from './services/course-service.js';
import { UserService } from './services/user-service.js';

export const academySubgraph: SubgraphModule<AcademyContext> = {
  name: 'academy',
  dbSchema: 'academy',
  migrations: academyMigrations,
  resolvers,
  async provision({ config }, db) {
    if (config.moodle.provision) await provisionMoodleTables(db, config.moodle.schema);
  },
  async start({ config, databaseUrl, log }) {
    const root = createKysely<AcademyDatabase>(databaseUrl);
    const db = academyDb(root, config.moodle.schema);
    // Meet's live classes into Moodle's calendar and notifications (ACADEMY_CONSUME_EVENTS).
    const consumer = config.academy.consumeEvents ? await startMoodleCalendarConsumer({ config, databaseUrl, log }) : undefined;
    // Notifications by mail (SMTP_URL), and reminders before classes (ACADEMY_REMINDER_MINUTES).
    const mailer = createMailer(config.mail);
    const mailConsumer = mailer ? await startNotificationMailConsumer({ config, databaseUrl, log, mailer }) : undefined;
    const reminders = startClassReminders(root, config, log);
    return {
      stop: async () => {
        await reminders.stop();
        await consumer?.stop();
        await mailConsumer?.stop();
        mailer?.close();
      },
      // The request's statements are cancelled with it: its own Kysely and repositories (request-database.ts).
      // Each service is built when a resolver first reads it (lazy-context.ts).
      createContext: lazyContext<AcademyContext, typeof db>((base) => (base.signal ? academyDb(forRequest(root, base.signal), config.moodle.schema) : db), {
        courses: ({ viewer }, requestDb) => new CourseService(viewer, new CourseRepository(requestDb), new EnrolmentRepository(requestDb)),
        users: ({ viewer }, requestDb) => new UserService(viewer, new UserRepository(requestDb)),
      }),
    };
  },
  seed: (deps) => seedAcademy(deps),
};
