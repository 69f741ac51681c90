import type { InvoiceResolvers } from '../generated/resolvers-types.js';

export const Invoice: InvoiceResolvers = {
  __resolveReference: (reference, { salesRecords }) => salesRecords.getInvoice(reference.id),
};
