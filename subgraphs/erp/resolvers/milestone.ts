import { notFound } from '../../../platform/errors.js';
import type { MilestoneResolvers } from '../generated/resolvers-types.js';

export const Milestone: MilestoneResolvers = {
  __resolveReference: (reference, { milestones }) => milestones.getMilestone(reference.id),
  isCompleted: (milestone) => milestone.completedAt !== null,
  // A milestone's project is in its company by constraint; a miss would be a broken row, not a permission.
  project: async (milestone, _args, { projects }) => {
    const project = await projects.getProject(milestone.projectId);
    if (!project) throw notFound('Project', milestone.projectId);
    return project;
  },
};
