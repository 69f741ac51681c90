/** Milestones, always within one company. */
import type { Kysely, Selectable } from 'kysely';
import type { ErpDatabase, MilestonesTable } from '../database.js';
import type { MilestoneModel } from '../models.js';
import { onlyUuids } from './record-ids.js';
import type { Page } from './page.js';

function toMilestone(row: Selectable<MilestonesTable>): MilestoneModel {
  return {
    id: row.id,
    companyId: row.company_id,
    projectId: row.project_id,
    name: row.name,
    description: row.description,
    dueDate: row.due_date,
    completedAt: row.completed_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export type MilestoneFields = Pick<MilestoneModel, 'projectId' | 'name' | 'description' | 'dueDate' | 'completedAt'>;

export class MilestoneRepository {
  constructor(private readonly db: Kysely<ErpDatabase>) {}

  private companyMilestones(companyId: string) {
    return this.db.selectFrom('erp.milestones').selectAll().where('company_id', '=', companyId);
  }

  async findByIds(companyId: string, ids: readonly string[]): Promise<MilestoneModel[]> {
    const uuids = onlyUuids(ids);
    if (uuids.length === 0) return [];
    return (await this.companyMilestones(companyId).where('id', 'in', uuids).execute()).map(toMilestone);
  }

  /** Milestones of many projects in one statement, by due date. */
  async findByProjects(companyId: string, projectIds: readonly string[]): Promise<MilestoneModel[]> {
    const uuids = onlyUuids(projectIds);
    if (uuids.length === 0) return [];
    const rows = await this.companyMilestones(companyId).where('project_id', 'in', uuids).orderBy('due_date').orderBy('id').execute();
    return rows.map(toMilestone);
  }

  async list(companyId: string, filter: { projectId?: string } & Page): Promise<MilestoneModel[]> {
    let query = this.companyMilestones(companyId);
    if (filter.projectId) query = query.where('project_id', '=', filter.projectId);
    const rows = await query.orderBy('due_date').orderBy('id').limit(filter.first).offset(filter.offset).execute();
    return rows.map(toMilestone);
  }

  /** The row, locked until the transaction ends (serialises concurrent changes). */
  async lock(companyId: string, id: string): Promise<MilestoneModel | undefined> {
    const row = await this.companyMilestones(companyId).where('id', '=', id).forUpdate().executeTakeFirst();
    return row && toMilestone(row);
  }

  async insert(companyId: string, fields: MilestoneFields): Promise<MilestoneModel> {
    const row = await this.db
      .insertInto('erp.milestones')
      .values({
        company_id: companyId,
        project_id: fields.projectId,
        name: fields.name,
        description: fields.description,
        due_date: fields.dueDate,
        completed_at: fields.completedAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toMilestone(row);
  }

  async update(companyId: string, id: string, fields: Partial<MilestoneFields>): Promise<MilestoneModel> {
    const row = await this.db
      .updateTable('erp.milestones')
      .set({
        project_id: fields.projectId,
        name: fields.name,
        description: fields.description,
        due_date: fields.dueDate,
        completed_at: fields.completedAt,
        updated_at: new Date(),
      })
      .where('company_id', '=', companyId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toMilestone(row);
  }

  async delete(companyId: string, id: string): Promise<void> {
    await this.db.deleteFrom('erp.milestones').where('company_id', '=', companyId).where('id', '=', id).execute();
  }
}
