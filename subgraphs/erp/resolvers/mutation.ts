import type { MutationResolvers } from '../generated/resolvers-types.js';

export const Mutation: MutationResolvers = {
  createProject: (_root, { input }, { projects }) => projects.createProject(input),
  updateProject: (_root, { id, input }, { projects }) => projects.updateProject(id, input),
  createTask: (_root, { input }, { tasks }) => tasks.createTask(input),
  updateTask: (_root, { id, input }, { tasks }) => tasks.updateTask(id, input),
  deleteTask: (_root, { id }, { tasks }) => tasks.deleteTask(id),
  createMilestone: (_root, { input }, { milestones }) => milestones.createMilestone(input),
  updateMilestone: (_root, { id, input }, { milestones }) => milestones.updateMilestone(id, input),
  deleteMilestone: (_root, { id }, { milestones }) => milestones.deleteMilestone(id),
  scheduleSalesMeeting: (_root, { input }, { salesMeetings }) => salesMeetings.scheduleSalesMeeting(input),
  updateSalesMeeting: (_root, { id, input }, { salesMeetings }) => salesMeetings.updateSalesMeeting(id, input),
  cancelSalesMeeting: (_root, { id, reason }, { salesMeetings }) => salesMeetings.cancelSalesMeeting(id, reason),
  requestLeave: (_root, { input }, { leave }) => leave.requestLeave(input),
  approveLeave: (_root, { id, comment }, { leave }) => leave.approveLeave(id, comment),
  rejectLeave: (_root, { id, reason }, { leave }) => leave.rejectLeave(id, reason),
  cancelLeave: (_root, { id }, { leave }) => leave.cancelLeave(id),
};
