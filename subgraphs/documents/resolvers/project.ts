import type { ProjectResolvers } from '../generated/resolvers-types.js';

export const Project: ProjectResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
  documents: (project, _args, { documents }) => documents.documentsOf('project', project.id),
};
