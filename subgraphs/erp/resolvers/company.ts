import type { CompanyResolvers } from '../generated/resolvers-types.js';

export const Company: CompanyResolvers = {
  __resolveReference: (reference, { companies }) => companies.getCompany(reference.id),
};
