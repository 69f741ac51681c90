/** Projects of the caller's company: staff read, admins and managers write; a project may be linked to an Academy course. */
import type DataLoader from 'dataloader';
import type { Viewer } from '../../../platform/auth/viewer.js';
import { notFound } from '../../../platform/errors.js';
import { rowLoader } from '../../../platform/graphql/loaders.js';
import type { CreateProjectInput, QueryProjectsArgs, UpdateProjectInput } from '../generated/resolvers-types.js';
import type { ProjectModel } from '../models.js';
import type { ErpDb } from '../repositories/erp-db.js';
import type { ProjectFields } from '../repositories/project-repository.js';
import type { CompanyCourses } from './company-course.js';
import { actorOf, requireManager, requireStaff } from './erp-access.js';
import { PROJECT_FIELDS, projectPayload } from './event-payloads.js';
import { publishErpEvent } from './publish-erp-event.js';
import { changedKeys, endsAfterStart, LIMITS, merged, notNull, optionalText, page, pick, recordId, requiredText, requireSomeField } from './validate.js';

function checkDates(project: Pick<ProjectFields, 'startDate' | 'dueDate'>): void {
  if (project.startDate && project.dueDate) endsAfterStart(project.startDate, project.dueDate, 'dueDate', 'startDate');
}

export class ProjectService {
  private readonly projectById: DataLoader<string, ProjectModel | null>;

  constructor(
    private readonly viewer: Viewer,
    private readonly db: ErpDb,
    private readonly courses: CompanyCourses,
  ) {
    this.projectById = rowLoader(
      (ids) => db.read.projects.findByIds(viewer.companyId, ids),
      (project) => project.id,
    );
  }

  getProject(id: string): Promise<ProjectModel | null> {
    requireStaff(this.viewer);
    return this.projectById.load(id);
  }

  async listProjects(args: QueryProjectsArgs): Promise<ProjectModel[]> {
    requireStaff(this.viewer);
    const projects = await this.db.read.projects.list(this.viewer.companyId, {
      statuses: args.status ?? undefined,
      ...page(args.first, args.offset),
    });
    for (const project of projects) this.projectById.prime(project.id, project);
    return projects;
  }

  async createProject(input: CreateProjectInput): Promise<ProjectModel> {
    requireManager(this.viewer, 'create projects');
    const fields: ProjectFields = {
      name: requiredText(input.name, 'name'),
      description: optionalText(input.description, 'description') ?? null,
      status: input.status ?? 'ACTIVE',
      startDate: input.startDate ?? null,
      dueDate: input.dueDate ?? null,
      courseId: input.courseId == null ? null : await this.courses.require(input.courseId),
    };
    checkDates(fields);
    const project = await this.db.transaction(async (repositories, trx) => {
      const created = await repositories.projects.insert(this.viewer.companyId, fields);
      await publishErpEvent(trx, 'project.project.created', created.id, projectPayload(created, actorOf(this.viewer)));
      return created;
    });
    this.projectById.prime(project.id, project);
    return project;
  }

  async updateProject(id: string, input: UpdateProjectInput): Promise<ProjectModel> {
    requireManager(this.viewer, 'change projects');
    recordId(id, 'id');
    requireSomeField(input);
    const name = notNull(input.name, 'name');
    const patch: Partial<ProjectFields> = {
      name: name === undefined ? undefined : requiredText(name, 'name'),
      description: optionalText(input.description, 'description', LIMITS.text),
      status: notNull(input.status, 'status'),
      startDate: input.startDate,
      dueDate: input.dueDate,
      // null unlinks; a new link is checked with academy.
      courseId: input.courseId == null ? input.courseId : await this.courses.require(input.courseId),
    };
    const project = await this.db.transaction(async (repositories, trx) => {
      const current = await repositories.projects.lock(this.viewer.companyId, id);
      if (!current) throw notFound('Project', id);
      const changed = changedKeys<ProjectFields>(current, patch);
      if (changed.length === 0) return current;
      checkDates(merged<ProjectFields>(current, patch));
      const updated = await repositories.projects.update(this.viewer.companyId, id, pick(patch, changed));
      await publishErpEvent(trx, 'project.project.updated', id, {
        ...projectPayload(updated, actorOf(this.viewer)),
        changed_fields: changed.map((key) => PROJECT_FIELDS[key as keyof typeof PROJECT_FIELDS]),
      });
      return updated;
    });
    this.projectById.clear(id).prime(id, project);
    return project;
  }
}
