import type { TaskResolvers } from '../generated/resolvers-types.js';

/** Task is erp's; tenant safety comes from reading only the caller's company's events. */
export const Task: TaskResolvers = {
  __resolveReference: (reference) => reference,
  calendarEvents: (task, _args, { events }) => events.eventsOfTask(task.id),
};
