/**
 * Academy: Course and User from Moodle's own tables. Moodle's database is
 * the one schema a subgraph may read that it does not own, by nature.
 */
import { createKysely } from '../../platform/database/connection.js';
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
    const courseRepository = new CourseRepository(db);
    const enrolmentRepository = new EnrolmentRepository(db);
    const userRepository = new UserRepository(db);
    return {
      stop: async () => {
        await reminders.stop();
        await consumer?.stop();
        await mailConsumer?.stop();
        mailer?.close();
      },
      createContext: (base) => ({
        ...base,
        courses: new CourseService(base.viewer, courseRepository, enrolmentRepository),
        users: new UserService(base.viewer, userRepository),
      }),
    };
  },
  seed: (deps) => seedAcademy(deps),
};
