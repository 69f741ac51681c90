/**
 * Attendance: per person, all their intervals in the room. Teachers of the
 * course and company admins see everyone; a student sees their own entry.
 * Egress, ingress, SIP and agent participants are never attendees: they are
 * listed apart (serviceParticipants), for teachers only. Teachers and admins
 * also get a course's report and signed links to CSV exports.
 */
import type DataLoader from 'dataloader';
import type { Viewer } from '../../../platform/auth/viewer.js';
import { forbidden, notFound } from '../../../platform/errors.js';
import type { CourseAccess } from '../../../platform/federation/course-access.js';
import type { AttendanceReports, SignedDownloadModel } from '../attendance/attendance-reports.js';
import { groupLoader } from '../../../platform/graphql/loaders.js';
import type { AttendanceIntervalModel, AttendanceModel, LiveClassModel } from '../models.js';
import type { AttendanceRepository, AttendanceRow } from '../repositories/attendance-repository.js';
import type { ClassAccess } from './class-access.js';
import type { CourseAttendanceModel } from './course-attendance.js';

/** Overlapping or touching intervals as one (two devices of one user are one presence); an open interval absorbs all after it. */
export function mergeIntervals(intervals: readonly AttendanceIntervalModel[]): AttendanceIntervalModel[] {
  const sorted = [...intervals].sort((a, b) => a.joinedAt.getTime() - b.joinedAt.getTime());
  const merged: AttendanceIntervalModel[] = [];
  for (const interval of sorted) {
    const last = merged.at(-1);
    if (last && (last.leftAt === null || interval.joinedAt <= last.leftAt)) {
      if (last.leftAt !== null && (interval.leftAt === null || interval.leftAt > last.leftAt)) last.leftAt = interval.leftAt;
    } else {
      merged.push({ ...interval });
    }
  }
  return merged;
}

/** Groups a class's intervals by person (user, or raw identity) and kind; an open interval counts until `openUntil`. */
export function summarizeAttendance(rows: readonly AttendanceRow[], openUntil: Date): AttendanceModel[] {
  const byParticipant = new Map<string, AttendanceModel>();
  for (const row of rows) {
    if (!row.joined_at) continue;
    const key = `${row.participant_kind}\n${row.user_id ?? row.participant_identity}`;
    let entry = byParticipant.get(key);
    if (!entry) {
      entry = { userId: row.user_id, identity: row.participant_identity, kind: row.participant_kind, joinedAt: row.joined_at, leftAt: null, secondsPresent: 0, intervals: [] };
      byParticipant.set(key, entry);
    }
    entry.intervals.push({ joinedAt: row.joined_at, leftAt: row.left_at });
  }
  for (const entry of byParticipant.values()) {
    entry.intervals = mergeIntervals(entry.intervals);
    entry.joinedAt = entry.intervals[0]!.joinedAt;
    // Still in the room if an interval is open; otherwise the last departure.
    entry.leftAt = entry.intervals.at(-1)!.leftAt;
    entry.secondsPresent = entry.intervals.reduce(
      (total, interval) => total + Math.max(0, Math.round(((interval.leftAt ?? openUntil).getTime() - interval.joinedAt.getTime()) / 1000)),
      0,
    );
  }
  return [...byParticipant.values()].sort((a, b) => a.joinedAt.getTime() - b.joinedAt.getTime());
}

export class AttendanceService {
  private readonly rowsByClass: DataLoader<string, AttendanceRow[]>;

  constructor(
    private readonly viewer: Viewer,
    private readonly access: ClassAccess,
    attendance: AttendanceRepository,
    private readonly reports: AttendanceReports,
    private readonly courses: CourseAccess,
  ) {
    this.rowsByClass = groupLoader(
      (ids) => attendance.listByClasses(viewer.companyId, ids),
      (row) => row.live_class_id,
    );
  }

  /** The people of a class: all for its teachers and admins, the caller's own entry for anyone else who may see the class. */
  async ofClass(liveClass: LiveClassModel): Promise<AttendanceModel[]> {
    const people = (await this.summary(liveClass)).filter((entry) => entry.kind === 'STANDARD');
    if (await this.access.mayTeach(liveClass.courseId)) return people;
    const me = this.viewer.moodleUserId;
    return me ? people.filter((entry) => entry.userId === me) : [];
  }

  /** Recorders, ingress, SIP and agents that were in the room: teachers and admins only (FORBIDDEN, this field alone, for others). */
  async serviceParticipantsOf(liveClass: LiveClassModel): Promise<AttendanceModel[]> {
    if (!(await this.access.mayTeach(liveClass.courseId))) throw forbidden('Service participants are visible to the course\u2019s teachers and company admins only');
    return (await this.summary(liveClass)).filter((entry) => entry.kind !== 'STANDARD');
  }

  /** LiveClass.attendanceCsv: teachers and admins (FORBIDDEN, this field alone, for others). */
  async csvOfClass(liveClass: LiveClassModel): Promise<SignedDownloadModel> {
    if (!(await this.access.mayTeach(liveClass.courseId))) throw forbidden('Attendance exports are for the course\u2019s teachers and company admins');
    return this.reports.link(this.viewer.companyId, { kind: 'class', id: liveClass.id }, this.viewer.userId);
  }

  /** Course.attendanceReport: teachers and admins; FORBIDDEN for its students, NOT_FOUND for a course the caller cannot see. */
  async courseReport(courseId: string): Promise<CourseAttendanceModel & { csv: SignedDownloadModel }> {
    await this.access.requireTeacher(courseId);
    const roster = await this.courses.participants(courseId);
    if (!roster) throw notFound('Course', courseId);
    const report = await this.reports.courseReport(this.viewer.companyId, courseId, roster);
    return { ...report, csv: this.reports.link(this.viewer.companyId, { kind: 'course', id: courseId }, this.viewer.userId) };
  }

  private async summary(liveClass: LiveClassModel): Promise<AttendanceModel[]> {
    return summarizeAttendance(await this.rowsByClass.load(liveClass.id), liveClass.endedAt ?? new Date());
  }
}
