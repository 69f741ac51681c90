import type { InvoiceResolvers } from '../generated/resolvers-types.js';

export const Invoice: InvoiceResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
  documents: (invoice, _args, { documents }) => documents.documentsOf('invoice', invoice.id),
};
