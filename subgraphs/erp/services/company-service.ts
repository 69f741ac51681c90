/** The caller's own company; any other company does not exist for them. */
import type DataLoader from 'dataloader';
import type { Viewer } from '../../../platform/auth/viewer.js';
import { rowLoader } from '../../../platform/graphql/loaders.js';
import type { CompanyModel } from '../models.js';
import type { ErpDb } from '../repositories/erp-db.js';
import { requireStaff } from './erp-access.js';

export class CompanyService {
  private readonly companyById: DataLoader<string, CompanyModel | null>;

  constructor(
    private readonly viewer: Viewer,
    db: ErpDb,
  ) {
    // Only the caller's company is ever asked for: other ids match nothing, without a query of their own.
    this.companyById = rowLoader(
      (ids) => db.read.companies.findByIds(ids.filter((id) => id === viewer.companyId)),
      (company) => company.id,
    );
  }

  getCompany(id: string): Promise<CompanyModel | null> {
    requireStaff(this.viewer);
    return this.companyById.load(id);
  }

  myCompany(): Promise<CompanyModel | null> {
    return this.getCompany(this.viewer.companyId);
  }
}
