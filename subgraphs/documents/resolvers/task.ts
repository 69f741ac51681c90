import type { TaskResolvers } from '../generated/resolvers-types.js';

export const Task: TaskResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
  documents: (task, _args, { documents }) => documents.documentsOf('task', task.id),
};
