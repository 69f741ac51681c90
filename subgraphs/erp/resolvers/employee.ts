import type { EmployeeResolvers } from '../generated/resolvers-types.js';

export const Employee: EmployeeResolvers = {
  __resolveReference: (reference, { employees }) => employees.getEmployee(reference.id),
  user: (employee) => ({ id: employee.id }),
};
