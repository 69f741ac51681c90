/**
 * Reading recordings: visible with their class (admins, enrolled users);
 * a download URL only for READY ones, short-lived and signed.
 */
import type DataLoader from 'dataloader';
import type { Viewer } from '../../../platform/auth/viewer.js';
import { mayReadCourse } from '../../../platform/federation/course-access.js';
import { groupLoader, rowLoader } from '../../../platform/graphql/loaders.js';
import type { CourseReference, LiveClassModel, RecordingModel } from '../models.js';
import type { RecordingControl } from '../recordings/recording-control.js';
import type { RecordingUrlSigner } from '../recordings/recording-url.js';
import type { RecordingRepository } from '../repositories/recording-repository.js';
import { notFound } from '../../../platform/errors.js';
import type { ClassAccess } from './class-access.js';
import type { LiveClassService } from './live-class-service.js';
import { requireStatus } from './schedule-rules.js';

export class RecordingService {
  private readonly recordingById: DataLoader<string, RecordingModel | null>;
  private readonly recordingsByClass: DataLoader<string, RecordingModel[]>;
  private readonly recordingsByCourse: DataLoader<string, RecordingModel[]>;
  private readonly signed = new Map<string, { url: string; expiresAt: Date }>();

  constructor(
    private readonly viewer: Viewer,
    private readonly access: ClassAccess,
    recordings: RecordingRepository,
    private readonly signer: RecordingUrlSigner,
    private readonly classes: LiveClassService,
    private readonly control: RecordingControl,
  ) {
    this.recordingById = rowLoader((ids) => recordings.findByIds(viewer.companyId, ids), (row) => row.id);
    this.recordingsByClass = groupLoader((ids) => recordings.listByClasses(viewer.companyId, ids), (row) => row.liveClassId);
    this.recordingsByCourse = groupLoader((ids) => recordings.listByCourses(viewer.companyId, ids), (row) => row.courseId);
  }

  async getRecording(id: string): Promise<RecordingModel | null> {
    const recording = await this.recordingById.load(id);
    if (!recording) return null;
    return (await this.access.mayRead(recording.courseId)) ? recording : null;
  }

  /** The class was already checked by whoever resolved it. */
  ofClass(liveClass: LiveClassModel): Promise<RecordingModel[]> {
    return this.recordingsByClass.load(liveClass.id);
  }

  async ofCourse(course: CourseReference): Promise<RecordingModel[]> {
    if (!mayReadCourse(this.viewer, course)) return [];
    return this.recordingsByCourse.load(course.id);
  }

  download(recording: RecordingModel): { url: string; expiresAt: Date } | null {
    if (recording.status !== 'READY' || !recording.fileKey) return null;
    let link = this.signed.get(recording.id);
    if (!link) this.signed.set(recording.id, (link = this.signer.sign(recording.id)));
    return link;
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

  private async teachableClass(id: string): Promise<LiveClassModel> {
    const liveClass = await this.classes.findInCompany(id);
    if (!liveClass) throw notFound('LiveClass', id);
    await this.access.requireTeacherOfClass(liveClass);
    return liveClass;
  }
}
