/**
 * The gateway benchmark's data set, generated deterministically in memory
 * from one instant: companies of a hundred courses each, ten live classes per
 * course (ended ones with a recording, one LIVE with its room open, the rest
 * scheduled), a calendar event per class and documents per course. The
 * seeder writes it to each subgraph's tables; the load generator checks every
 * response against answers derived from the same objects.
 */
export interface BenchUser {
  id: string; // mdl_user.id
  username: string;
  firstname: string;
  lastname: string;
  roles: string[];
}

export interface BenchLiveClass {
  id: string;
  title: string;
  status: 'SCHEDULED' | 'LIVE' | 'ENDED';
  scheduledAt: Date;
  durationMinutes: number;
  roomName: string;
  host: BenchUser;
  recording?: { id: string; durationSeconds: number; createdAt: Date };
  event: { id: string; title: string; start: Date; end: Date };
}

export interface BenchDocument {
  id: string;
  versionId: string;
  filename: string;
  size: number;
  uploadedBy: BenchUser;
  createdAt: Date;
}

export interface BenchCourse {
  id: string; // mdl_course.id
  companyId: string;
  shortname: string;
  fullname: string;
  summary: string;
  teacher: BenchUser;
  liveClasses: BenchLiveClass[];
  documents: BenchDocument[];
}

export interface BenchCompany {
  id: string;
  name: string;
  moodleCategory: string;
  /** The users benchmark requests are made as (company admins: every course is theirs to read). */
  admins: BenchUser[];
  teachers: BenchUser[];
  courses: BenchCourse[];
}

export interface BenchDataOptions {
  companies: number;
  coursesPerCompany: number;
  adminsPerCompany: number;
  /** Index of the first company, so that two data sets can share one database without id clashes. */
  firstCompany?: number;
  /** The instant relative times are taken from (whole hours keep the schedule readable). */
  now: Date;
}

export const DEFAULT_BENCH_DATA: Omit<BenchDataOptions, 'now'> = { companies: 4, coursesPerCompany: 100, adminsPerCompany: 50 };

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
export const CLASSES_PER_COURSE = 10;
export const ENDED_PER_COURSE = 3;
export const DOCUMENTS_PER_COURSE = 10;
const TEACHERS_PER_COMPANY = 5;

/** A v4-shaped UUID from a kind and a counter, so ids are stable from one run to the next. */
function uuid(kind: number, n: number): string {
  const hex = n.toString(16).padStart(12, '0');
  return `0b0eb${kind.toString(16).padStart(3, '0')}-0000-4000-8000-${hex}`;
}

/** The instant the data's schedule is laid out from: `now` down to the hour. */
export function benchEpoch(now: Date): Date {
  return new Date(Math.floor(now.getTime() / HOUR) * HOUR);
}

/** When the course list's "next events" window starts and ends, relative to the data's `now`. */
export function nextEventsWindow(at: Date): { from: Date; to: Date } {
  const now = benchEpoch(at);
  // Starts after the LIVE class ends (+8 h) and ends before the third scheduled class (+72 h):
  // exactly the first two scheduled classes of every course fall inside, whatever the jitter on `to`.
  return { from: new Date(now.getTime() + 9 * HOUR), to: new Date(now.getTime() + 57 * HOUR) };
}

export function generateBenchData(options: BenchDataOptions): BenchCompany[] {
  const now = benchEpoch(options.now);
  const companies: BenchCompany[] = [];
  const first = options.firstCompany ?? 0;
  for (let c = first; c < first + options.companies; c++) {
    let counter = c * 1_000_000;
    const userBase = 100_000 + c * 1_000;
    const user = (offset: number, username: string, firstname: string, roles: string[]): BenchUser => ({
      id: String(userBase + offset),
      username: `${username}.${c}`,
      firstname,
      lastname: `Company${c}`,
      roles,
    });
    const admins = Array.from({ length: options.adminsPerCompany }, (_, a) => user(1 + a, `bench.admin${a}`, `Admin${a}`, ['admin']));
    const teachers = Array.from({ length: TEACHERS_PER_COMPANY }, (_, t) => user(900 + t, `bench.teacher${t}`, `Teacher${t}`, ['teacher', 'employee']));
    const companyId = uuid(1, c + 1);
    const courses: BenchCourse[] = [];
    for (let k = 0; k < options.coursesPerCompany; k++) {
      const courseId = String(userBase * 10 + k); // 1 000 000 + …: clear of the demo courses
      const teacher = teachers[k % TEACHERS_PER_COMPANY]!;
      const hourOfDay = k % 8; // scheduled classes start 0–7 h into their day
      const liveClasses: BenchLiveClass[] = [];
      for (let i = 0; i < CLASSES_PER_COURSE; i++) {
        counter++;
        let status: BenchLiveClass['status'];
        let scheduledAt: Date;
        let durationMinutes = 60;
        if (i < ENDED_PER_COURSE) {
          status = 'ENDED';
          scheduledAt = new Date(now.getTime() - (ENDED_PER_COURSE - i) * DAY + hourOfDay * HOUR);
        } else if (i === ENDED_PER_COURSE) {
          // Under way, its room already open: joining it asks LiveKit nothing.
          status = 'LIVE';
          scheduledAt = new Date(now.getTime() - 10 * 60_000);
          durationMinutes = 480;
        } else {
          status = 'SCHEDULED';
          scheduledAt = new Date(now.getTime() + (i - ENDED_PER_COURSE) * DAY + hourOfDay * HOUR);
        }
        const title = `Course ${courseId} session ${i + 1}`;
        const end = new Date(scheduledAt.getTime() + durationMinutes * 60_000);
        liveClasses.push({
          id: uuid(2, counter),
          title,
          status,
          scheduledAt,
          durationMinutes,
          roomName: `bench-${courseId}-${i}`,
          host: teacher,
          ...(status === 'ENDED' && { recording: { id: uuid(3, counter), durationSeconds: durationMinutes * 60 - i, createdAt: scheduledAt } }),
          event: { id: uuid(4, counter), title, start: scheduledAt, end },
        });
      }
      const documents: BenchDocument[] = Array.from({ length: DOCUMENTS_PER_COURSE }, (_, d) => {
        counter++;
        return {
          id: uuid(5, counter),
          versionId: uuid(6, counter),
          filename: `course-${courseId}-handout-${d + 1}.pdf`,
          size: 10_000 + d * 1_024 + k,
          uploadedBy: teacher,
          createdAt: new Date(now.getTime() - (d + 1) * HOUR),
        };
      });
      courses.push({
        id: courseId,
        companyId,
        shortname: `B${c}-C${k}`,
        fullname: `Bench course ${k} of company ${c}`,
        summary: `Seeded for the gateway benchmark (${k}).`,
        teacher,
        liveClasses,
        documents,
      });
    }
    companies.push({ id: companyId, name: `Bench company ${c}`, moodleCategory: String(5_000 + c), admins, teachers, courses });
  }
  return companies;
}

export const fullNameOf = (user: BenchUser) => `${user.firstname} ${user.lastname}`;
