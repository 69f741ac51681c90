/** Quotes and invoices of the caller's company: company staff read them (other services check references through them). */
import type DataLoader from 'dataloader';
import type { Viewer } from '../../../platform/auth/viewer.js';
import { rowLoader } from '../../../platform/graphql/loaders.js';
import type { SalesRecordModel } from '../models.js';
import type { ErpDb } from '../repositories/erp-db.js';
import { requireStaff } from './erp-access.js';

export class SalesRecordService {
  private readonly quoteById: DataLoader<string, SalesRecordModel | null>;
  private readonly invoiceById: DataLoader<string, SalesRecordModel | null>;

  constructor(
    private readonly viewer: Viewer,
    db: ErpDb,
  ) {
    const loader = (table: 'erp.quotes' | 'erp.invoices') =>
      rowLoader<SalesRecordModel>(
        (ids) => db.read.salesRecords.findByIds(table, viewer.companyId, ids),
        (row) => row.id,
      );
    this.quoteById = loader('erp.quotes');
    this.invoiceById = loader('erp.invoices');
  }

  getQuote(id: string): Promise<SalesRecordModel | null> {
    requireStaff(this.viewer);
    return this.quoteById.load(id);
  }

  getInvoice(id: string): Promise<SalesRecordModel | null> {
    requireStaff(this.viewer);
    return this.invoiceById.load(id);
  }
}
