import type { SearchSnippetResolvers } from '../generated/resolvers-types.js';
import { snippetHtml } from '../services/search-snippet.js';

export const SearchSnippet: SearchSnippetResolvers = {
  html: (snippet) => snippetHtml(snippet),
};
