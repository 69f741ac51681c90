/** Attendance: per user, all their intervals; the course's teachers' and the company admins' business only. */
import type DataLoader from 'dataloader';
import type { Viewer } from '../../../platform/auth/viewer.js';
import { forbidden } from '../../../platform/errors.js';
import { groupLoader } from '../../../platform/graphql/loaders.js';
import type { AttendanceModel, LiveClassModel } from '../models.js';
import type { AttendanceRepository, AttendanceRow } from '../repositories/attendance-repository.js';
import type { ClassAccess } from './class-access.js';

/** Groups a class's intervals by user; an open interval counts until `openUntil`. */
export function summarizeAttendance(rows: readonly AttendanceRow[], openUntil: Date): AttendanceModel[] {
  const byUser = new Map<string, AttendanceModel>();
  for (const row of rows) {
    if (!row.joined_at) continue;
    const userId = row.user_id ?? row.participant_identity;
    let entry = byUser.get(userId);
    if (!entry) byUser.set(userId, (entry = { userId, joinedAt: row.joined_at, leftAt: null, secondsPresent: 0, intervals: [] }));
    entry.intervals.push({ joinedAt: row.joined_at, leftAt: row.left_at });
    const end = row.left_at ?? openUntil;
    entry.secondsPresent += Math.max(0, Math.round((end.getTime() - row.joined_at.getTime()) / 1000));
    if (row.joined_at < entry.joinedAt) entry.joinedAt = row.joined_at;
  }
  for (const entry of byUser.values()) {
    entry.intervals.sort((a, b) => a.joinedAt.getTime() - b.joinedAt.getTime());
    // Still in the room if any interval is open; otherwise the last departure.
    const open = entry.intervals.some((interval) => interval.leftAt === null);
    entry.leftAt = open ? null : new Date(Math.max(...entry.intervals.map((interval) => interval.leftAt!.getTime())));
  }
  return [...byUser.values()].sort((a, b) => a.joinedAt.getTime() - b.joinedAt.getTime());
}

export class AttendanceService {
  private readonly rowsByClass: DataLoader<string, AttendanceRow[]>;

  constructor(viewer: Viewer, private readonly access: ClassAccess, attendance: AttendanceRepository) {
    this.rowsByClass = groupLoader((ids) => attendance.listByClasses(viewer.companyId, ids), (row) => row.live_class_id);
  }

  async ofClass(liveClass: LiveClassModel): Promise<AttendanceModel[]> {
    if (!(await this.access.mayTeach(liveClass.courseId))) {
      throw forbidden('Attendance is visible to the course\u2019s teachers and company admins only');
    }
    const openUntil = liveClass.endedAt ?? new Date();
    return summarizeAttendance(await this.rowsByClass.load(liveClass.id), openUntil);
  }
}
