import type { QuoteResolvers } from '../generated/resolvers-types.js';

export const Quote: QuoteResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
  documents: (quote, _args, { documents }) => documents.documentsOf('quote', quote.id),
};
