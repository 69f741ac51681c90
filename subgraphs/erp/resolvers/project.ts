import type { ProjectResolvers } from '../generated/resolvers-types.js';

export const Project: ProjectResolvers = {
  __resolveReference: (reference, { projects }) => projects.getProject(reference.id),
  tasks: (project, _args, { tasks }) => tasks.tasksOfProject(project.id),
  milestones: (project, _args, { milestones }) => milestones.milestonesOfProject(project.id),
  course: (project) => (project.courseId ? { id: project.courseId } : null),
};
