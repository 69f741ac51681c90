/**
 * Who may read and change documents, by what they are attached to:
 * - quote, invoice, project, task: company admins, managers and employees;
 * - employee: admins and managers; the employee may also read their own;
 * - course: admins and users enrolled in the course may read; admins and the
 *   course's teachers may change (the course role comes from academy).
 * The company always comes from the caller's identity.
 */
import { hasRole, isAdmin, type Viewer } from '../../../platform/auth/viewer.js';
import { forbidden, notFound } from '../../../platform/errors.js';
import type { CourseAccess } from '../../../platform/federation/course-access.js';
import type { EntityReferences } from '../../../platform/federation/entity-references.js';
import type { EntityType } from '../models.js';

/** erp's entity type of each kind of record a document attaches to (courses are academy's). */
const ERP_TYPENAMES: Record<Exclude<EntityType, 'course'>, string> = {
  quote: 'Quote',
  invoice: 'Invoice',
  project: 'Project',
  task: 'Task',
  employee: 'Employee',
};

export interface AttachedTo {
  companyId?: string;
  entityType: EntityType;
  entityId: string;
}

export class DocumentAccess {
  constructor(
    private readonly viewer: Viewer,
    private readonly courses: CourseAccess,
    private readonly erpRecords: EntityReferences,
  ) {}

  get mayReadErp(): boolean {
    return hasRole(this.viewer, 'admin', 'manager', 'employee');
  }

  private get isHrReader(): boolean {
    return hasRole(this.viewer, 'admin', 'manager');
  }

  async mayRead(target: AttachedTo): Promise<boolean> {
    if (target.companyId && target.companyId !== this.viewer.companyId) return false;
    switch (target.entityType) {
      case 'course':
        return isAdmin(this.viewer) || !!(await this.courses.course(target.entityId))?.viewerRole;
      case 'employee':
        return this.isHrReader || (!!this.viewer.moodleUserId && this.viewer.moodleUserId === target.entityId && this.mayReadErp);
      default:
        return this.mayReadErp;
    }
  }

  async mayWrite(target: AttachedTo): Promise<boolean> {
    if (target.companyId && target.companyId !== this.viewer.companyId) return false;
    switch (target.entityType) {
      case 'course':
        return isAdmin(this.viewer) || (await this.courses.course(target.entityId))?.viewerRole === 'TEACHER';
      case 'employee':
        return this.isHrReader;
      default:
        return this.mayReadErp;
    }
  }

  /** Forbidden, or not found for a course the caller cannot see at all (another company's, or hidden from them). */
  async requireWrite(target: AttachedTo): Promise<void> {
    if (target.entityType === 'course' && !(await this.courses.course(target.entityId))) {
      throw notFound('Course', target.entityId);
    }
    if (!(await this.mayWrite(target))) throw forbidden(`You may not change documents of this ${target.entityType}`);
  }

  /**
   * requireWrite, and the record must exist in the caller's company: erp is
   * asked through its `_entities` contract (batched), academy for courses.
   * For new attachments (uploads, moves); existing ones were checked when made.
   */
  async requireAttachable(target: AttachedTo): Promise<void> {
    await this.requireWrite(target);
    if (target.entityType === 'course') return; // requireWrite found the course through academy
    const typename = ERP_TYPENAMES[target.entityType];
    if (!(await this.erpRecords.exists(typename, target.entityId))) throw notFound(typename, target.entityId);
  }

  /** What a list query must leave out for this caller (course documents are filtered per course afterwards). */
  listRestrictions(): { excludeEntityTypes: EntityType[]; onlyEmployee?: string | null } {
    if (!this.mayReadErp) return { excludeEntityTypes: ['quote', 'invoice', 'project', 'task', 'employee'] };
    if (this.isHrReader) return { excludeEntityTypes: [] };
    return { excludeEntityTypes: [], onlyEmployee: this.viewer.moodleUserId ?? null };
  }
}
