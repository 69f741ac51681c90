import type { TaskResolvers } from '../generated/resolvers-types.js';

export const Task: TaskResolvers = {
  __resolveReference: (reference, { tasks }) => tasks.getTask(reference.id),
  project: (task, _args, { projects }) => projects.getProject(task.projectId),
  assignee: (task) => (task.assigneeId ? { id: task.assigneeId } : null),
};
