/**
 * The documents of one company a search finds, with their rank, as a table
 * to join: full-text matches of the words (websearch syntax: "a phrase",
 * or, -not) in name, tags and text through the GIN index, ranked by cover
 * density (ts_rank_cd, weights name 1.0, tags 0.4, text 0.2, normalised by
 * the document's length), and, as the search always did, names and tags
 * containing the search as typed ("financ" finds the tag "finance"), at rank 0.
 */
import { sql } from 'kysely';

export interface SearchTerms {
  text: string;
  /** The company's text search configuration. */
  language: string;
}

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;

export function searchHits(companyId: string, search: SearchTerms) {
  const query = sql`websearch_to_tsquery(${search.language}::regconfig, ${search.text})`;
  const pattern = likePattern(search.text);
  return sql<{ document_id: string; rank: number }>`(
    SELECT matched.document_id, max(matched.rank) AS rank FROM (
      SELECT s.document_id, ts_rank_cd(s.search_vector, ${query}, 1) AS rank
        FROM documents.document_search AS s
        WHERE s.company_id = ${companyId} AND s.search_vector @@ ${query}
      UNION ALL
      SELECT n.id, 0::real
        FROM documents.documents AS n
        WHERE n.company_id = ${companyId}
          AND (n.filename ILIKE ${pattern} OR EXISTS (SELECT 1 FROM unnest(n.tags) AS tag WHERE tag ILIKE ${pattern}))
    ) AS matched
    GROUP BY matched.document_id
  )`.as('hits');
}
