/** Milestones of the caller's company's projects: staff read, admins and managers write. */
import type DataLoader from 'dataloader';
import type { Viewer } from '../../../platform/auth/viewer.js';
import { notFound } from '../../../platform/errors.js';
import { groupLoader, rowLoader } from '../../../platform/graphql/loaders.js';
import type { CreateMilestoneInput, QueryMilestonesArgs, UpdateMilestoneInput } from '../generated/resolvers-types.js';
import type { MilestoneModel } from '../models.js';
import type { ErpDb } from '../repositories/erp-db.js';
import type { MilestoneFields } from '../repositories/milestone-repository.js';
import { projectOfCompany } from './company-project.js';
import { actorOf, requireManager, requireStaff } from './erp-access.js';
import { MILESTONE_FIELDS, milestonePayload } from './event-payloads.js';
import { publishErpEvent } from './publish-erp-event.js';
import { changedKeys, notNull, optionalText, page, pick, recordId, requiredText, requireSomeField } from './validate.js';

type MilestonePatch = Partial<Omit<MilestoneFields, 'projectId'>>;

export class MilestoneService {
  private readonly milestoneById: DataLoader<string, MilestoneModel | null>;
  private readonly milestonesByProject: DataLoader<string, MilestoneModel[]>;

  constructor(
    private readonly viewer: Viewer,
    private readonly db: ErpDb,
  ) {
    this.milestoneById = rowLoader(
      (ids) => db.read.milestones.findByIds(viewer.companyId, ids),
      (milestone) => milestone.id,
    );
    this.milestonesByProject = groupLoader(
      (ids) => db.read.milestones.findByProjects(viewer.companyId, ids),
      (milestone) => milestone.projectId,
    );
  }

  getMilestone(id: string): Promise<MilestoneModel | null> {
    requireStaff(this.viewer);
    return this.milestoneById.load(id);
  }

  milestonesOfProject(projectId: string): Promise<MilestoneModel[]> {
    requireStaff(this.viewer);
    return this.milestonesByProject.load(projectId);
  }

  async listMilestones(args: QueryMilestonesArgs): Promise<MilestoneModel[]> {
    requireStaff(this.viewer);
    const milestones = await this.db.read.milestones.list(this.viewer.companyId, {
      projectId: args.projectId ? recordId(args.projectId, 'projectId') : undefined,
      ...page(args.first, args.offset),
    });
    for (const milestone of milestones) this.milestoneById.prime(milestone.id, milestone);
    return milestones;
  }

  async createMilestone(input: CreateMilestoneInput): Promise<MilestoneModel> {
    requireManager(this.viewer, 'create milestones');
    const fields: MilestoneFields = {
      projectId: recordId(input.projectId, 'projectId'),
      name: requiredText(input.name, 'name'),
      description: optionalText(input.description, 'description') ?? null,
      dueDate: input.dueDate,
      completedAt: null,
    };
    const milestone = await this.db.transaction(async (repositories, trx) => {
      const project = await projectOfCompany(repositories, this.viewer.companyId, fields.projectId);
      const created = await repositories.milestones.insert(this.viewer.companyId, fields);
      await publishErpEvent(trx, 'project.milestone.created', created.id, milestonePayload(created, project, actorOf(this.viewer)));
      return created;
    });
    this.milestoneById.prime(milestone.id, milestone);
    return milestone;
  }

  async updateMilestone(id: string, input: UpdateMilestoneInput): Promise<MilestoneModel> {
    requireManager(this.viewer, 'change milestones');
    recordId(id, 'id');
    requireSomeField(input);
    const name = notNull(input.name, 'name');
    const completed = notNull(input.completed, 'completed');
    const patch: MilestonePatch = {
      name: name === undefined ? undefined : requiredText(name, 'name'),
      description: optionalText(input.description, 'description'),
      dueDate: notNull(input.dueDate, 'dueDate'),
    };
    const milestone = await this.db.transaction(async (repositories, trx) => {
      const current = await repositories.milestones.lock(this.viewer.companyId, id);
      if (!current) throw notFound('Milestone', id);
      // Completing keeps the first completion time; reopening clears it.
      if (completed === true && !current.completedAt) patch.completedAt = new Date();
      if (completed === false) patch.completedAt = null;
      const changed = changedKeys<Omit<MilestoneFields, 'projectId'>>(current, patch);
      if (changed.length === 0) return current;
      const project = await projectOfCompany(repositories, this.viewer.companyId, current.projectId);
      const updated = await repositories.milestones.update(this.viewer.companyId, id, pick(patch, changed));
      await publishErpEvent(trx, 'project.milestone.updated', id, {
        ...milestonePayload(updated, project, actorOf(this.viewer)),
        changed_fields: changed.map((key) => MILESTONE_FIELDS[key]),
      });
      return updated;
    });
    this.milestoneById.clear(id).prime(id, milestone);
    return milestone;
  }

  async deleteMilestone(id: string): Promise<string> {
    requireManager(this.viewer, 'delete milestones');
    recordId(id, 'id');
    await this.db.transaction(async (repositories, trx) => {
      const current = await repositories.milestones.lock(this.viewer.companyId, id);
      if (!current) throw notFound('Milestone', id);
      const project = await projectOfCompany(repositories, this.viewer.companyId, current.projectId);
      await repositories.milestones.delete(this.viewer.companyId, id);
      await publishErpEvent(trx, 'project.milestone.deleted', id, milestonePayload(current, project, actorOf(this.viewer)));
    });
    this.milestoneById.clear(id).prime(id, null);
    return id;
  }
}
