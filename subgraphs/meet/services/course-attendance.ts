/**
 * A course's attendance report: each student's time over the course's
 * classes that took place (went LIVE), merged per class as the class's own
 * attendance is (two devices count once). Everyone enrolled as a student is
 * listed, present or not, and so is anyone else who attended other than the
 * course's teachers (a student un-enrolled since, a deleted account).
 */
import type { LiveClassModel } from '../models.js';
import type { AttendanceRow } from '../repositories/attendance-repository.js';
import { summarizeAttendance } from './attendance-service.js';

export interface ClassPresenceModel {
  liveClass: LiveClassModel;
  secondsPresent: number;
  minutesPresent: number;
}

export interface CourseAttendeeModel {
  userId: string | null;
  identity: string;
  /** Academy's name for enrolled users; null otherwise (the CSV leaves it empty). */
  fullName: string | null;
  enrolled: boolean;
  secondsPresent: number;
  minutesPresent: number;
  classesAttended: number;
  classes: ClassPresenceModel[];
}

export interface CourseAttendanceModel {
  courseId: string;
  liveClasses: LiveClassModel[];
  students: CourseAttendeeModel[];
}

/** What Course.attendanceReport resolves to: the report and its CSV link. */
export interface CourseAttendanceReportModel extends CourseAttendanceModel {
  csv: { url: string; expiresAt: Date };
}

export interface CourseRoster {
  teachers: { id: string; fullName: string }[];
  students: { id: string; fullName: string }[];
}

/** The classes a report counts: those that went LIVE (a class nobody opened has no attendance to report). */
export const tookPlace = (liveClass: LiveClassModel) => liveClass.startedAt !== null && (liveClass.status === 'LIVE' || liveClass.status === 'ENDED');

export function courseAttendance(
  courseId: string,
  classes: readonly LiveClassModel[],
  rows: readonly AttendanceRow[],
  roster: CourseRoster,
  now = new Date(),
): CourseAttendanceModel {
  const counted = classes.filter(tookPlace).sort((a, b) => a.scheduledAt.getTime() - b.scheduledAt.getTime());
  const teachers = new Set(roster.teachers.map((teacher) => teacher.id));
  const attendees = new Map<string, CourseAttendeeModel>();
  const attendee = (userId: string | null, identity: string, fullName: string | null, enrolled: boolean) => {
    const key = userId ?? `identity:${identity}`;
    let entry = attendees.get(key);
    if (!entry) attendees.set(key, (entry = { userId, identity, fullName, enrolled, secondsPresent: 0, minutesPresent: 0, classesAttended: 0, classes: [] }));
    return entry;
  };
  for (const student of roster.students) attendee(student.id, student.id, student.fullName, true);
  for (const liveClass of counted) {
    const people = summarizeAttendance(
      rows.filter((row) => row.live_class_id === liveClass.id),
      liveClass.endedAt ?? now,
    ).filter((entry) => entry.kind === 'STANDARD');
    for (const person of people) {
      if (person.userId && teachers.has(person.userId)) continue;
      const entry = attendee(person.userId, person.identity, null, false);
      entry.classes.push({ liveClass, secondsPresent: person.secondsPresent, minutesPresent: Math.floor(person.secondsPresent / 60) });
      entry.secondsPresent += person.secondsPresent;
      entry.classesAttended += 1;
    }
  }
  const students = [...attendees.values()];
  for (const entry of students) entry.minutesPresent = Math.floor(entry.secondsPresent / 60);
  students.sort((a, b) => b.secondsPresent - a.secondsPresent || (a.fullName ?? a.identity).localeCompare(b.fullName ?? b.identity));
  return { courseId, liveClasses: counted, students };
}
