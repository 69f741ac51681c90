/**
 * A company's search language (its PostgreSQL text search configuration),
 * for its admins: 'simple' until they choose one (words as written, no
 * stemming: right for any language and for names and codes), or e.g.
 * 'english', where "invoices" also finds "invoice". Choosing one rebuilds
 * the company's index from the text already extracted (files are not read
 * again), in the same transaction.
 */
import { isAdmin, type Viewer } from '../../../platform/auth/viewer.js';
import { badInput, forbidden } from '../../../platform/errors.js';
import type { CompanySearchSettingsModel } from '../models.js';
import type { DocumentsDb } from '../repositories/documents-db.js';
import { DEFAULT_SEARCH_LANGUAGE, type SearchRepository } from '../repositories/search-repository.js';

export class SearchSettingsService {
  constructor(
    private readonly viewer: Viewer,
    private readonly db: DocumentsDb,
    private readonly search: SearchRepository,
  ) {}

  private requireAdmin(): void {
    if (!isAdmin(this.viewer)) throw forbidden('Only company admins manage search settings');
  }

  async get(): Promise<CompanySearchSettingsModel> {
    this.requireAdmin();
    const [stored, availableLanguages] = await Promise.all([this.search.companyLanguage(this.viewer.companyId), this.search.languages()]);
    return { language: stored?.language ?? DEFAULT_SEARCH_LANGUAGE, isDefault: !stored, availableLanguages, updatedAt: stored?.updatedAt ?? null };
  }

  async setLanguage(language: string): Promise<CompanySearchSettingsModel> {
    this.requireAdmin();
    const name = language.trim().toLowerCase();
    if (!(await this.search.languages()).includes(name)) throw badInput(`language must be one of the server's text search configurations (see availableLanguages)`, 'language');
    await this.db.transaction().execute((trx) => this.search.setCompanyLanguage(trx, this.viewer.companyId, name, this.viewer.userId));
    return this.get();
  }
}
