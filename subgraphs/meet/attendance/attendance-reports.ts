/**
 * Attendance beyond one request: a course's report (GraphQL and CSV alike)
 * and the signed links to the CSV exports. A link is minted only after
 * GraphQL checked that the caller teaches the course (or is an admin); it
 * names the company, the class or course and who asked, and expires after
 * MEET_RECORDING_URL_TTL_SECONDS, like recording links.
 */
import { createHmac } from 'node:crypto';
import { UrlSigner } from '../../../platform/http/url-signer.js';
import type { LiveClassModel } from '../models.js';
import type { AttendanceRepository } from '../repositories/attendance-repository.js';
import type { LiveClassRepository } from '../repositories/live-class-repository.js';
import { courseAttendance, type CourseAttendanceModel, type CourseRoster } from '../services/course-attendance.js';

export const ATTENDANCE_PATH = '/attendance/';

export interface SignedDownloadModel {
  url: string;
  expiresAt: Date;
}

export type ExportTarget = { kind: 'class'; id: string } | { kind: 'course'; id: string };

export class AttendanceReports {
  readonly signer: UrlSigner;

  constructor(
    secret: string,
    publicOrigin: string,
    private readonly ttlSeconds: number,
    private readonly classes: LiveClassRepository,
    private readonly attendance: AttendanceRepository,
  ) {
    // A key of its own, derived from the internal secret: an attendance signature passes for nothing else.
    this.signer = new UrlSigner(createHmac('sha256', secret).update('meet:attendance-csv:v1').digest('hex'), publicOrigin);
  }

  link(companyId: string, target: ExportTarget, issuedTo: string, now = Date.now()): SignedDownloadModel {
    const expiresAt = new Date((Math.floor(now / 1000) + this.ttlSeconds) * 1000);
    const path = `${ATTENDANCE_PATH}${target.kind === 'class' ? 'classes' : 'courses'}/${encodeURIComponent(target.id)}.csv`;
    return { url: this.signer.sign(path, { company: companyId, by: issuedTo }, expiresAt), expiresAt };
  }

  async courseReport(companyId: string, courseId: string, roster: CourseRoster): Promise<CourseAttendanceModel> {
    const classes = await this.classes.list(companyId, { status: ['LIVE', 'ENDED'] }, [courseId]);
    const rows = await this.attendance.listByClasses(
      companyId,
      classes.map((liveClass) => liveClass.id),
    );
    return courseAttendance(courseId, classes, rows, roster);
  }

  async classWithRows(companyId: string, classId: string) {
    const [liveClass] = await this.classes.findByIds(companyId, [classId]);
    if (!liveClass) return null;
    return { liveClass: liveClass as LiveClassModel, rows: await this.attendance.listByClasses(companyId, [classId]) };
  }
}
