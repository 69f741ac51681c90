/**
 * Attendance as CSV (RFC 4180: CRLF lines, fields quoted when they hold a
 * quote, comma or line break). Names come from Moodle, so a field that a
 * spreadsheet would run as a formula (=, +, -, @, tab, CR first) is prefixed
 * with an apostrophe.
 */
import type { LiveClassModel } from '../models.js';
import type { AttendanceRow } from '../repositories/attendance-repository.js';
import { summarizeAttendance } from '../services/attendance-service.js';
import type { CourseAttendanceModel } from '../services/course-attendance.js';

type Cell = string | number | boolean | Date | null;

function cell(value: Cell): string {
  if (value === null) return '';
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const csv = (rows: Cell[][]) => rows.map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';

/** One row per person and interval (overlapping intervals of one person merged), STANDARD participants only. */
export function classAttendanceCsv(liveClass: LiveClassModel, rows: readonly AttendanceRow[], names: ReadonlyMap<string, string>, now = new Date()): string {
  const people = summarizeAttendance(rows, liveClass.endedAt ?? now).filter((entry) => entry.kind === 'STANDARD');
  const lines: Cell[][] = [['class_id', 'class_title', 'user_id', 'identity', 'full_name', 'joined_at', 'left_at', 'seconds_present']];
  for (const person of people) {
    for (const interval of person.intervals) {
      const seconds = Math.max(0, Math.round(((interval.leftAt ?? liveClass.endedAt ?? now).getTime() - interval.joinedAt.getTime()) / 1000));
      lines.push([liveClass.id, liveClass.title, person.userId, person.identity, (person.userId && names.get(person.userId)) || null, interval.joinedAt, interval.leftAt, seconds]);
    }
  }
  return csv(lines);
}

/** One row per student and class attended; a student present in none has one row without a class. */
export function courseAttendanceCsv(report: CourseAttendanceModel): string {
  const lines: Cell[][] = [['course_id', 'user_id', 'identity', 'full_name', 'enrolled', 'class_id', 'class_title', 'class_scheduled_at', 'seconds_present', 'minutes_present']];
  for (const student of report.students) {
    const base: Cell[] = [report.courseId, student.userId, student.identity, student.fullName, student.enrolled];
    if (student.classes.length === 0) lines.push([...base, null, null, null, 0, 0]);
    for (const presence of student.classes) {
      lines.push([...base, presence.liveClass.id, presence.liveClass.title, presence.liveClass.scheduledAt, presence.secondsPresent, presence.minutesPresent]);
    }
  }
  return csv(lines);
}
