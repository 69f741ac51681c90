import type { UserResolvers } from '../generated/resolvers-types.js';

export const User: UserResolvers = {
  __resolveReference: (reference, { users }) => users.getUser(reference.id),
  fullName: (user, _args, { users }) => users.fullName(user),
  email: (user, _args, { users }) => users.email(user),
};
