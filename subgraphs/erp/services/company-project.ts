import { badInput } from '../../../platform/errors.js';
import type { ProjectModel } from '../models.js';
import type { ErpRepositories } from '../repositories/erp-db.js';

/** The project a task or milestone is (to be) filed under: of the caller's company, or a BAD_USER_INPUT. */
export async function projectOfCompany(repositories: ErpRepositories, companyId: string, projectId: string): Promise<ProjectModel> {
  const [project] = await repositories.projects.findByIds(companyId, [projectId]);
  if (!project) throw badInput(`projectId: there is no project ${projectId} in your company`, 'projectId');
  return project;
}
