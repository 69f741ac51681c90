/** Tasks, always within one company. */
import type { Kysely, Selectable } from 'kysely';
import type { ErpDatabase, TasksTable } from '../database.js';
import type { TaskModel, TaskStatusName } from '../models.js';
import { onlyUuids } from './record-ids.js';
import type { Page } from './page.js';

function toTask(row: Selectable<TasksTable>): TaskModel {
  return {
    id: row.id,
    companyId: row.company_id,
    projectId: row.project_id,
    title: row.title,
    description: row.description,
    status: row.status,
    dueDate: row.due_date,
    assigneeId: row.assignee_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export type TaskFields = Pick<TaskModel, 'projectId' | 'title' | 'description' | 'status' | 'dueDate' | 'assigneeId'>;

export interface TaskFilter extends Page {
  projectId?: string;
  statuses?: TaskStatusName[];
  assigneeId?: string;
  dueBefore?: Date;
  dueAfter?: Date;
}

export class TaskRepository {
  constructor(private readonly db: Kysely<ErpDatabase>) {}

  private companyTasks(companyId: string) {
    return this.db.selectFrom('erp.tasks').selectAll().where('company_id', '=', companyId);
  }

  async findByIds(companyId: string, ids: readonly string[]): Promise<TaskModel[]> {
    const uuids = onlyUuids(ids);
    if (uuids.length === 0) return [];
    return (await this.companyTasks(companyId).where('id', 'in', uuids).execute()).map(toTask);
  }

  /** Tasks of many projects in one statement, by due date (none last). */
  async findByProjects(companyId: string, projectIds: readonly string[]): Promise<TaskModel[]> {
    const uuids = onlyUuids(projectIds);
    if (uuids.length === 0) return [];
    const rows = await this.companyTasks(companyId)
      .where('project_id', 'in', uuids)
      .orderBy('due_date', (ob) => ob.asc().nullsLast())
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toTask);
  }

  async list(companyId: string, filter: TaskFilter): Promise<TaskModel[]> {
    let query = this.companyTasks(companyId);
    if (filter.projectId) query = query.where('project_id', '=', filter.projectId);
    if (filter.statuses?.length) query = query.where('status', 'in', filter.statuses);
    if (filter.assigneeId) query = query.where('assignee_id', '=', filter.assigneeId);
    if (filter.dueBefore) query = query.where('due_date', '<', filter.dueBefore);
    if (filter.dueAfter) query = query.where('due_date', '>', filter.dueAfter);
    const rows = await query
      .orderBy('due_date', (ob) => ob.asc().nullsLast())
      .orderBy('created_at')
      .orderBy('id')
      .limit(filter.first)
      .offset(filter.offset)
      .execute();
    return rows.map(toTask);
  }

  /** The row, locked until the transaction ends (serialises concurrent changes). */
  async lock(companyId: string, id: string): Promise<TaskModel | undefined> {
    const row = await this.companyTasks(companyId).where('id', '=', id).forUpdate().executeTakeFirst();
    return row && toTask(row);
  }

  async insert(companyId: string, fields: TaskFields): Promise<TaskModel> {
    const row = await this.db
      .insertInto('erp.tasks')
      .values({
        company_id: companyId,
        project_id: fields.projectId,
        title: fields.title,
        description: fields.description,
        status: fields.status,
        due_date: fields.dueDate,
        assignee_id: fields.assigneeId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toTask(row);
  }

  async update(companyId: string, id: string, fields: Partial<TaskFields>): Promise<TaskModel> {
    const row = await this.db
      .updateTable('erp.tasks')
      .set({
        project_id: fields.projectId,
        title: fields.title,
        description: fields.description,
        status: fields.status,
        due_date: fields.dueDate,
        assignee_id: fields.assigneeId,
        updated_at: new Date(),
      })
      .where('company_id', '=', companyId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toTask(row);
  }

  async delete(companyId: string, id: string): Promise<void> {
    await this.db.deleteFrom('erp.tasks').where('company_id', '=', companyId).where('id', '=', id).execute();
  }
}
