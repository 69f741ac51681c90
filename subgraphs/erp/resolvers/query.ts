import type { QueryResolvers } from '../generated/resolvers-types.js';

export const Query: QueryResolvers = {
  myCompany: (_root, _args, { companies }) => companies.myCompany(),
  project: (_root, { id }, { projects }) => projects.getProject(id),
  projects: (_root, args, { projects }) => projects.listProjects(args),
  task: (_root, { id }, { tasks }) => tasks.getTask(id),
  tasks: (_root, args, { tasks }) => tasks.listTasks(args),
  milestone: (_root, { id }, { milestones }) => milestones.getMilestone(id),
  milestones: (_root, args, { milestones }) => milestones.listMilestones(args),
  salesMeeting: (_root, { id }, { salesMeetings }) => salesMeetings.getSalesMeeting(id),
  salesMeetings: (_root, args, { salesMeetings }) => salesMeetings.listSalesMeetings(args),
  leaveRequest: (_root, { id }, { leave }) => leave.getLeaveRequest(id),
  leaveRequests: (_root, args, { leave }) => leave.listLeaveRequests(args),
  leaveRequestsConnection: (_root, args, { leave }) => leave.leaveRequestsPage(args),
  quote: (_root, { id }, { salesRecords }) => salesRecords.getQuote(id),
  invoice: (_root, { id }, { salesRecords }) => salesRecords.getInvoice(id),
  employee: (_root, { id }, { employees }) => employees.getEmployee(id),
};
