import type { TaskResolvers } from '../generated/resolvers-types.js';

export const Task: TaskResolvers = {
  __resolveReference: (reference, { tasks }) => tasks.getTask(reference.id),
  project: (task, _args, { projects }) => projects.getProject(task.projectId),
  course: async (task, _args, { projects }) => {
    const courseId = (await projects.getProject(task.projectId))?.courseId;
    return courseId ? { id: courseId } : null;
  },
  assignee: (task) => (task.assigneeId ? { id: task.assigneeId } : null),
};
