/**
 * Tasks of the caller's company. Staff read; admins and managers write; an
 * employee may move the status of a task assigned to them (and nothing else).
 */
import DataLoader from 'dataloader';
import type { Viewer } from '../../../platform/auth/viewer.js';
import { forbidden, notFound } from '../../../platform/errors.js';
import { groupLoader, rowLoader } from '../../../platform/graphql/loaders.js';
import type { CreateTaskInput, QueryTasksArgs, UpdateTaskInput } from '../generated/resolvers-types.js';
import type { TaskModel } from '../models.js';
import type { ErpDb } from '../repositories/erp-db.js';
import type { TaskFields } from '../repositories/task-repository.js';
import type { CompanyPeople } from './company-people.js';
import { projectOfCompany } from './company-project.js';
import { actorOf, isManager, isStaff, requireManager, requireStaff } from './erp-access.js';
import { TASK_FIELDS, taskPayload } from './event-payloads.js';
import { publishErpEvent } from './publish-erp-event.js';
import { changedKeys, notNull, optionalText, optionalUserId, page, pick, recordId, requiredText, requireSomeField, userId } from './validate.js';

export class TaskService {
  private readonly taskById: DataLoader<string, TaskModel | null>;
  private readonly tasksByProject: DataLoader<string, TaskModel[]>;
  private readonly tasksByCourse: DataLoader<string, TaskModel[]>;

  constructor(
    private readonly viewer: Viewer,
    private readonly db: ErpDb,
    private readonly people: CompanyPeople,
  ) {
    this.taskById = rowLoader(
      (ids) => db.read.tasks.findByIds(viewer.companyId, ids),
      (task) => task.id,
    );
    this.tasksByProject = groupLoader(
      (ids) => db.read.tasks.findByProjects(viewer.companyId, ids),
      (task) => task.projectId,
    );
    this.tasksByCourse = new DataLoader(async (courseIds) => {
      const projects = await db.read.projects.findByCourses(viewer.companyId, courseIds);
      const courseOf = new Map(projects.map((project) => [project.id, project.courseId]));
      const tasks = await db.read.tasks.findByProjects(
        viewer.companyId,
        projects.map((project) => project.id),
      );
      return courseIds.map((courseId) => tasks.filter((task) => courseOf.get(task.projectId) === courseId));
    });
  }

  getTask(id: string): Promise<TaskModel | null> {
    requireStaff(this.viewer);
    return this.taskById.load(id);
  }

  tasksOfProject(projectId: string): Promise<TaskModel[]> {
    requireStaff(this.viewer);
    return this.tasksByProject.load(projectId);
  }

  /** Course.tasks: tasks of the company's projects linked to the course; none for callers who are not staff. */
  tasksOfCourse(courseId: string): Promise<TaskModel[]> {
    return isStaff(this.viewer) ? this.tasksByCourse.load(courseId) : Promise.resolve([]);
  }

  async listTasks(args: QueryTasksArgs): Promise<TaskModel[]> {
    requireStaff(this.viewer);
    const tasks = await this.db.read.tasks.list(this.viewer.companyId, {
      projectId: args.projectId ? recordId(args.projectId, 'projectId') : undefined,
      statuses: args.status ?? undefined,
      assigneeId: args.assigneeId ? userId(args.assigneeId, 'assigneeId') : undefined,
      dueBefore: args.dueBefore ?? undefined,
      dueAfter: args.dueAfter ?? undefined,
      ...page(args.first, args.offset),
    });
    for (const task of tasks) this.taskById.prime(task.id, task);
    return tasks;
  }

  async createTask(input: CreateTaskInput): Promise<TaskModel> {
    requireManager(this.viewer, 'create tasks');
    const fields: TaskFields = {
      projectId: recordId(input.projectId, 'projectId'),
      title: requiredText(input.title, 'title'),
      description: optionalText(input.description, 'description') ?? null,
      status: input.status ?? 'TODO',
      dueDate: input.dueDate ?? null,
      assigneeId: optionalUserId(input.assigneeId, 'assigneeId') ?? null,
    };
    await this.people.requireMember(fields.assigneeId, 'assigneeId');
    const task = await this.db.transaction(async (repositories, trx) => {
      const project = await projectOfCompany(repositories, this.viewer.companyId, fields.projectId);
      const created = await repositories.tasks.insert(this.viewer.companyId, fields);
      await publishErpEvent(trx, 'project.task.created', created.id, taskPayload(created, project, actorOf(this.viewer)));
      return created;
    });
    this.taskById.prime(task.id, task);
    return task;
  }

  async updateTask(id: string, input: UpdateTaskInput): Promise<TaskModel> {
    requireStaff(this.viewer);
    const manager = isManager(this.viewer);
    if (!manager && Object.entries(input).some(([key, value]) => key !== 'status' && value !== undefined)) {
      throw forbidden('Employees may only change the status of their own tasks; other changes are for admins and managers');
    }
    recordId(id, 'id');
    requireSomeField(input);
    const title = notNull(input.title, 'title');
    const projectId = notNull(input.projectId, 'projectId');
    const patch: Partial<TaskFields> = {
      title: title === undefined ? undefined : requiredText(title, 'title'),
      description: optionalText(input.description, 'description'),
      status: notNull(input.status, 'status'),
      dueDate: input.dueDate,
      assigneeId: optionalUserId(input.assigneeId, 'assigneeId'),
      projectId: projectId === undefined ? undefined : recordId(projectId, 'projectId'),
    };
    await this.people.requireMember(patch.assigneeId, 'assigneeId');
    const task = await this.db.transaction(async (repositories, trx) => {
      const current = await repositories.tasks.lock(this.viewer.companyId, id);
      if (!current) throw notFound('Task', id);
      if (!manager && current.assigneeId !== this.viewer.moodleUserId) {
        throw forbidden('Employees may only change the status of tasks assigned to them');
      }
      const changed = changedKeys<TaskFields>(current, patch);
      if (changed.length === 0) return current;
      const project = await projectOfCompany(repositories, this.viewer.companyId, patch.projectId ?? current.projectId);
      const updated = await repositories.tasks.update(this.viewer.companyId, id, pick(patch, changed));
      await publishErpEvent(trx, 'project.task.updated', id, {
        ...taskPayload(updated, project, actorOf(this.viewer)),
        changed_fields: changed.map((key) => TASK_FIELDS[key]),
      });
      return updated;
    });
    this.taskById.clear(id).prime(id, task);
    return task;
  }

  async deleteTask(id: string): Promise<string> {
    requireManager(this.viewer, 'delete tasks');
    recordId(id, 'id');
    await this.db.transaction(async (repositories, trx) => {
      const current = await repositories.tasks.lock(this.viewer.companyId, id);
      if (!current) throw notFound('Task', id);
      const project = await projectOfCompany(repositories, this.viewer.companyId, current.projectId);
      await repositories.tasks.delete(this.viewer.companyId, id);
      await publishErpEvent(trx, 'project.task.deleted', id, taskPayload(current, project, actorOf(this.viewer)));
    });
    this.taskById.clear(id).prime(id, null);
    return id;
  }
}
