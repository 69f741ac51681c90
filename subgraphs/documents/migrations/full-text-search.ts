/**
 * Full-text search inside documents, in PostgreSQL (no search server):
 * - `company_search`: a company's text search configuration (its language);
 *   companies without a row use 'simple' (no stemming, any language).
 * - `document_search`: one row per document, beside it rather than in it so
 *   that lists (which read whole document rows) never carry the text: the
 *   extracted text of its current version (capped), how extraction went, and
 *   `search_vector`, weighted name A, tags B, text C, with a GIN index.
 * Triggers keep the name and tags part right in the transaction that changes
 *   them (uploads, renames, re-tags: searchable by name at once, whatever
 *   writes the row), and mark the text stale when the version changes; the
 *   text itself comes later from the indexer (an event consumer), so
 *   extraction never delays an upload.
 */
import { sql, type Kysely, type Migration } from 'kysely';

export const fullTextSearch: Migration = {
  async up(db: Kysely<any>) {
    await sql`CREATE TABLE documents.company_search (
      company_id uuid PRIMARY KEY,
      language regconfig NOT NULL,
      updated_by text,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);

    await sql`CREATE TABLE documents.document_search (
      document_id uuid PRIMARY KEY REFERENCES documents.documents (id) ON DELETE CASCADE,
      company_id uuid NOT NULL,
      language regconfig NOT NULL,
      content text,
      content_version integer,
      status text NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'indexed', 'empty', 'unsupported', 'too_large', 'failed')),
      error text,
      indexed_at timestamptz,
      search_vector tsvector NOT NULL
    )`.execute(db);
    await sql`CREATE INDEX document_search_vector ON documents.document_search USING gin (search_vector)`.execute(db);
    // What the indexer's catch-up pass looks for (documents whose event was missed or dead-lettered).
    await sql`CREATE INDEX document_search_pending ON documents.document_search (document_id) WHERE status = 'pending'`.execute(db);

    // The name goes in whole and cut at punctuation, so that "budget" finds "Q3-budget_final.xlsx".
    await sql`CREATE FUNCTION documents.search_vector(language regconfig, filename text, tags text[], content text)
      RETURNS tsvector LANGUAGE sql STABLE PARALLEL SAFE AS $$
        SELECT setweight(to_tsvector(language, coalesce(filename, '') || ' ' || regexp_replace(coalesce(filename, ''), '[^[:alnum:]]+', ' ', 'g')), 'A')
            || setweight(to_tsvector(language, array_to_string(tags, ' ')), 'B')
            || setweight(to_tsvector(language, coalesce(content, '')), 'C')
      $$`.execute(db);

    await sql`CREATE FUNCTION documents.search_language(company uuid) RETURNS regconfig LANGUAGE sql STABLE AS $$
        SELECT coalesce((SELECT language FROM documents.company_search WHERE company_id = company), 'simple'::regconfig)
      $$`.execute(db);

    await sql`CREATE FUNCTION documents.document_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO documents.document_search AS s (document_id, company_id, language, search_vector)
          SELECT NEW.id, NEW.company_id, l.language, documents.search_vector(l.language, NEW.filename, NEW.tags, NULL)
          FROM (SELECT documents.search_language(NEW.company_id) AS language) AS l
          ON CONFLICT (document_id) DO NOTHING;
        ELSE
          UPDATE documents.document_search AS s
          SET search_vector = documents.search_vector(s.language, NEW.filename, NEW.tags, s.content),
              -- A new version: the old text stays searchable until the indexer replaces it.
              status = CASE WHEN NEW.version = OLD.version THEN s.status ELSE 'pending' END
          WHERE s.document_id = NEW.id;
        END IF;
        RETURN NULL;
      END
      $$`.execute(db);
    await sql`CREATE TRIGGER document_search_insert AFTER INSERT ON documents.documents
      FOR EACH ROW EXECUTE FUNCTION documents.document_search_sync()`.execute(db);
    await sql`CREATE TRIGGER document_search_update AFTER UPDATE OF filename, tags, version ON documents.documents
      FOR EACH ROW WHEN (OLD.filename IS DISTINCT FROM NEW.filename OR OLD.tags IS DISTINCT FROM NEW.tags OR OLD.version <> NEW.version)
      EXECUTE FUNCTION documents.document_search_sync()`.execute(db);

    // Documents that exist already: searchable by name now, their text indexed by the catch-up pass.
    await sql`INSERT INTO documents.document_search (document_id, company_id, language, search_vector)
      SELECT d.id, d.company_id, 'simple', documents.search_vector('simple', d.filename, d.tags, NULL) FROM documents.documents d`.execute(db);
  },
};
