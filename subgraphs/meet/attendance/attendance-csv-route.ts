/**
 * GET /attendance/classes/<id>.csv and /attendance/courses/<id>.csv, for
 * holders of a signed link (LiveClass.attendanceCsv,
 * Course.attendanceReport.csv). The signature is the authorization: it was
 * minted for a teacher of the course or an admin, names the company, and
 * expires soon. Names are asked of academy as meet itself, in that company.
 */
import type { PlatformConfig } from '../../../platform/config.js';
import { CourseAccess, type CourseParticipants } from '../../../platform/federation/course-access.js';
import { serviceViewer } from '../../../platform/federation/subgraph-call.js';
import type { Logger } from '../../../platform/logger.js';
import { sendJson } from '../../../platform/http/respond.js';
import type { HttpRoute } from '../../../platform/subgraph/subgraph-module.js';
import { isMoodleId, isUuid } from '../repositories/ids.js';
import { classAttendanceCsv, courseAttendanceCsv } from './attendance-csv.js';
import { ATTENDANCE_PATH, type AttendanceReports } from './attendance-reports.js';

const TARGET = /^\/attendance\/(classes|courses)\/([^/]+)\.csv$/;

export function attendanceCsvRoute(config: PlatformConfig, reports: AttendanceReports, log: Logger): HttpRoute {
  return {
    method: 'GET',
    path: ATTENDANCE_PATH,
    handle: async (request, response) => {
      const check = reports.signer.verify(request.url ?? '/');
      if (!check.ok) return sendJson(response, 403, { error: `Attendance link refused: ${check.reason}` });
      const target = TARGET.exec(check.path);
      const companyId = check.params.get('company');
      // Checked before any lookup: an id of another shape is no row, not a database or academy failure (a 503).
      if (!target || !isUuid(companyId)) return sendJson(response, 404, { error: 'No such export' });
      const id = decodeURIComponent(target[2]!);
      if (target[1] === 'classes' && !isUuid(id)) return sendJson(response, 404, { error: 'No such live class' });
      if (target[1] === 'courses' && !isMoodleId(id)) return sendJson(response, 404, { error: 'No such course' });
      const roster = (courseId: string) => new CourseAccess(config, serviceViewer('meet', companyId)).participants(courseId);
      let body: string;
      let filename: string;
      try {
        if (target[1] === 'classes') {
          const found = await reports.classWithRows(companyId, id);
          if (!found) return sendJson(response, 404, { error: 'No such live class' });
          body = classAttendanceCsv(found.liveClass, found.rows, namesOf(await roster(found.liveClass.courseId)));
          filename = `attendance-class-${found.liveClass.id}.csv`;
        } else {
          const course = await roster(id);
          if (!course) return sendJson(response, 404, { error: 'No such course' });
          body = courseAttendanceCsv(await reports.courseReport(companyId, id, course));
          filename = `attendance-course-${course.id}.csv`;
        }
      } catch (error) {
        log.warn({ err: error }, 'attendance export failed');
        return sendJson(response, 503, { error: 'Attendance could not be exported now (academy unavailable); try again' });
      }
      log.info({ export: check.path, companyId, issuedTo: check.params.get('by') }, 'attendance exported');
      response.writeHead(200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${filename}"`,
        'cache-control': 'private, no-store',
        'content-length': Buffer.byteLength(body),
      });
      response.end(body);
    },
  };
}

function namesOf(course: CourseParticipants | null): Map<string, string> {
  return new Map([...(course?.teachers ?? []), ...(course?.students ?? [])].map((user) => [user.id, user.fullName]));
}
