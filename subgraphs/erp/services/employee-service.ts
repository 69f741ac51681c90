/** Employees of the caller's company: admins and managers see every one, an employee only themselves. */
import type DataLoader from 'dataloader';
import type { Viewer } from '../../../platform/auth/viewer.js';
import { rowLoader } from '../../../platform/graphql/loaders.js';
import type { EmployeeModel } from '../models.js';
import type { ErpDb } from '../repositories/erp-db.js';
import { isManager, requireStaff } from './erp-access.js';

export class EmployeeService {
  private readonly employeeById: DataLoader<string, EmployeeModel | null>;

  constructor(
    private readonly viewer: Viewer,
    db: ErpDb,
  ) {
    this.employeeById = rowLoader(
      (ids) => db.read.employees.findByIds(viewer.companyId, ids),
      (employee) => employee.id,
    );
  }

  async getEmployee(id: string): Promise<EmployeeModel | null> {
    requireStaff(this.viewer);
    if (!isManager(this.viewer) && id !== this.viewer.moodleUserId) return null;
    return this.employeeById.load(id);
  }
}
