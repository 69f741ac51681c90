/**
 * Reading recordings: visible with their class (admins, enrolled users),
 * students only those published; a playable URL only for READY ones,
 * short-lived and signed. Teachers of the course and admins publish and
 * unpublish them (announced on the live class subscription).
 */
import type DataLoader from 'dataloader';
import type { Viewer } from '../../../platform/auth/viewer.js';
import { mayReadCourse } from '../../../platform/federation/course-access.js';
import { pageRequest, toConnection, type Connection, type PageArgs } from '../../../platform/graphql/connection.js';
import { groupLoader, rowLoader } from '../../../platform/graphql/loaders.js';
import type { CourseReference, LiveClassModel, RecordingModel } from '../models.js';
import type { RecordingControl } from '../recordings/recording-control.js';
import type { PlayableUrl } from '../recordings/recording-files.js';
import type { RecordingRepository } from '../repositories/recording-repository.js';
import { forbidden, notFound } from '../../../platform/errors.js';
import type { ClassAccess } from './class-access.js';
import type { LiveClassService } from './live-class-service.js';
import { requireStatus } from './schedule-rules.js';

export class RecordingService {
  private readonly recordingById: DataLoader<string, RecordingModel | null>;
  private readonly recordingsByClass: DataLoader<string, RecordingModel[]>;
  private readonly recordingsByCourse: DataLoader<string, RecordingModel[]>;
  /** One URL per recording and request: `url` and `urlExpiresAt` must agree. */
  private readonly playable = new Map<string, Promise<PlayableUrl | null>>();

  constructor(
    private readonly viewer: Viewer,
    private readonly access: ClassAccess,
    private readonly recordings: RecordingRepository,
    private readonly classes: LiveClassService,
    private readonly control: RecordingControl,
  ) {
    this.recordingById = rowLoader(
      (ids) => recordings.findByIds(viewer.companyId, ids),
      (row) => row.id,
    );
    this.recordingsByClass = groupLoader(
      (ids) => recordings.listByClasses(viewer.companyId, ids),
      (row) => row.liveClassId,
    );
    this.recordingsByCourse = groupLoader(
      (ids) => recordings.listByCourses(viewer.companyId, ids),
      (row) => row.courseId,
    );
  }

  async getRecording(id: string): Promise<RecordingModel | null> {
    const recording = await this.recordingById.load(id);
    if (!recording || !(await this.access.mayRead(recording.courseId))) return null;
    return recording.published || (await this.access.mayTeach(recording.courseId)) ? recording : null;
  }

  /** The class was already checked by whoever resolved it. */
  async ofClass(liveClass: LiveClassModel): Promise<RecordingModel[]> {
    const recordings = await this.recordingsByClass.load(liveClass.id);
    return (await this.access.mayTeach(liveClass.courseId)) ? recordings : recordings.filter((recording) => recording.published);
  }

  async ofCourse(course: CourseReference): Promise<RecordingModel[]> {
    if (!mayReadCourse(this.viewer, course)) return [];
    const recordings = await this.recordingsByCourse.load(course.id);
    return this.access.isAdmin || course.viewerRole === 'TEACHER' ? recordings : recordings.filter((recording) => recording.published);
  }

  /** Course.recordingsConnection: as ofCourse, a page at a time (students' pages hold only published recordings). */
  async pageOfCourse(course: CourseReference, args: PageArgs): Promise<Connection<RecordingModel>> {
    const { first, after } = pageRequest(args, ['string', 'string']);
    if (!mayReadCourse(this.viewer, course))
      return toConnection(
        [],
        first,
        () => [],
        (row) => row,
      );
    const publishedOnly = !(this.access.isAdmin || course.viewerRole === 'TEACHER');
    const rows = await this.recordings.pageByCourse(this.viewer.companyId, course.id, publishedOnly, { after, limit: first + 1 });
    return toConnection(
      rows,
      first,
      (row) => row.key,
      (row) => row.node,
    );
  }

  /**
   * A short-lived URL for a READY recording: presigned S3 GET, or meet's signed download route for local files
   * (a teacher's link plays it unpublished too, a student's stops when it is unpublished).
   */
  download(recording: RecordingModel): Promise<PlayableUrl | null> {
    let link = this.playable.get(recording.id);
    if (!link) {
      link = this.access.mayTeach(recording.courseId).then((teacher) => this.control.files.playableUrl(recording, teacher ? 'any' : 'published'));
      this.playable.set(recording.id, link);
    }
    return link;
  }

  /** Teachers of the course and admins: shows the recording to students, or hides it from them. */
  async setPublished(id: string, published: boolean): Promise<RecordingModel> {
    const recording = await this.recordingById.load(id);
    if (!recording || recording.status === 'DELETED') throw notFound('Recording', id);
    await this.requireTeacherOfRecording(recording);
    if (recording.published === published) return recording;
    const liveClass = await this.classes.findInCompany(recording.liveClassId);
    const changed = liveClass && (await this.control.setPublished(recording, liveClass, published, this.viewer.moodleUserId ?? null));
    if (!changed) throw notFound('Recording', id); // deleted meanwhile
    this.recordingById.clear(id).prime(id, changed);
    return changed;
  }

  /** Teachers of the course and admins; the class must be LIVE. */
  async startRecording(liveClassId: string): Promise<RecordingModel> {
    const liveClass = await this.teachableClass(liveClassId);
    requireStatus(liveClass, ['LIVE'], 'record');
    return this.control.start(liveClass);
  }

  async stopRecording(liveClassId: string): Promise<RecordingModel> {
    return this.control.stop(await this.teachableClass(liveClassId));
  }

  /** Teachers of the course and admins, within their company (others' recordings are NOT_FOUND). */
  async deleteRecording(id: string): Promise<RecordingModel> {
    const recording = await this.recordingById.load(id);
    if (!recording || recording.status === 'DELETED') throw notFound('Recording', id);
    await this.requireTeacherOfRecording(recording);
    const deleted = await this.control.delete(recording);
    if (!deleted) throw notFound('Recording', id); // deleted meanwhile
    this.recordingById.clear(id).prime(id, deleted);
    return deleted;
  }

  /** NOT_FOUND for those who cannot see its course, FORBIDDEN for its students. */
  private async requireTeacherOfRecording(recording: RecordingModel): Promise<void> {
    if (this.access.isAdmin) return;
    const role = await this.access.roleIn(recording.courseId);
    if (!role) throw notFound('Recording', recording.id);
    if (role !== 'TEACHER') throw forbidden('Only the course\u2019s teachers and company admins may manage its recordings');
  }

  private async teachableClass(id: string): Promise<LiveClassModel> {
    const liveClass = await this.classes.findInCompany(id);
    if (!liveClass) throw notFound('LiveClass', id);
    await this.access.requireTeacherOfClass(liveClass);
    return liveClass;
  }
}
