import type { EmployeeResolvers } from '../generated/resolvers-types.js';

export const Employee: EmployeeResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
  documents: (employee, _args, { documents }) => documents.documentsOf('employee', employee.id),
};
