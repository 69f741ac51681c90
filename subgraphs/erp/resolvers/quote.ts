import type { QuoteResolvers } from '../generated/resolvers-types.js';

export const Quote: QuoteResolvers = {
  __resolveReference: (reference, { salesRecords }) => salesRecords.getQuote(reference.id),
};
