/** Projects, always within one company. */
import type { Kysely, Selectable } from 'kysely';
import type { ErpDatabase, ProjectsTable } from '../database.js';
import type { ProjectModel, ProjectStatusName } from '../models.js';
import { onlyUuids } from './record-ids.js';
import type { Page } from './page.js';

function toProject(row: Selectable<ProjectsTable>): ProjectModel {
  return {
    id: row.id,
    companyId: row.company_id,
    name: row.name,
    description: row.description,
    status: row.status,
    startDate: row.start_date,
    dueDate: row.due_date,
    courseId: row.course_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export type ProjectFields = Pick<ProjectModel, 'name' | 'description' | 'status' | 'startDate' | 'dueDate' | 'courseId'>;

const columns = (fields: Partial<ProjectFields>) => ({
  name: fields.name,
  description: fields.description,
  status: fields.status,
  start_date: fields.startDate,
  due_date: fields.dueDate,
  course_id: fields.courseId,
});

export class ProjectRepository {
  constructor(private readonly db: Kysely<ErpDatabase>) {}

  async findByIds(companyId: string, ids: readonly string[]): Promise<ProjectModel[]> {
    const uuids = onlyUuids(ids);
    if (uuids.length === 0) return [];
    const rows = await this.db.selectFrom('erp.projects').selectAll().where('company_id', '=', companyId).where('id', 'in', uuids).execute();
    return rows.map(toProject);
  }

  async list(companyId: string, filter: { statuses?: ProjectStatusName[] } & Page): Promise<ProjectModel[]> {
    let query = this.db.selectFrom('erp.projects').selectAll().where('company_id', '=', companyId);
    if (filter.statuses?.length) query = query.where('status', 'in', filter.statuses);
    const rows = await query.orderBy('name').orderBy('id').limit(filter.first).offset(filter.offset).execute();
    return rows.map(toProject);
  }

  /** Projects linked to any of the courses (Course.tasks). */
  async findByCourses(companyId: string, courseIds: readonly string[]): Promise<ProjectModel[]> {
    const ids = courseIds.filter((id) => /^[1-9]\d{0,17}$/.test(id));
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom('erp.projects').selectAll().where('company_id', '=', companyId).where('course_id', 'in', ids).execute();
    return rows.map(toProject);
  }

  /** The row, locked until the transaction ends (serialises concurrent changes). */
  async lock(companyId: string, id: string): Promise<ProjectModel | undefined> {
    const row = await this.db.selectFrom('erp.projects').selectAll().where('company_id', '=', companyId).where('id', '=', id).forUpdate().executeTakeFirst();
    return row && toProject(row);
  }

  async insert(companyId: string, fields: ProjectFields): Promise<ProjectModel> {
    const row = await this.db
      .insertInto('erp.projects')
      .values({
        company_id: companyId,
        name: fields.name,
        description: fields.description,
        status: fields.status,
        start_date: fields.startDate,
        due_date: fields.dueDate,
        course_id: fields.courseId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toProject(row);
  }

  async update(companyId: string, id: string, fields: Partial<ProjectFields>): Promise<ProjectModel> {
    const row = await this.db
      .updateTable('erp.projects')
      .set({ ...columns(fields), updated_at: new Date() })
      .where('company_id', '=', companyId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toProject(row);
  }
}
