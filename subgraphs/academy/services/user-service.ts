/** Users of the caller's company; e-mail addresses only for oneself and for admins and managers. */
import type DataLoader from 'dataloader';
import { hasRole, type Viewer } from '../../../platform/auth/viewer.js';
import { rowLoader } from '../../../platform/graphql/loaders.js';
import type { UserModel } from '../models.js';
import type { UserRepository } from '../repositories/user-repository.js';

export class UserService {
  private readonly userById: DataLoader<string, UserModel | null>;

  constructor(
    private readonly viewer: Viewer,
    users: UserRepository,
  ) {
    this.userById = rowLoader(
      (ids) => users.findByIds(viewer.companyId, ids),
      (user) => user.id,
    );
  }

  getUser(id: string): Promise<UserModel | null> {
    return this.userById.load(id);
  }

  me(): Promise<UserModel | null> {
    return this.viewer.moodleUserId ? this.getUser(this.viewer.moodleUserId) : Promise.resolve(null);
  }

  email(user: UserModel): string | null {
    const mayRead = user.id === this.viewer.moodleUserId || hasRole(this.viewer, 'admin', 'manager');
    return mayRead && user.email ? user.email : null;
  }

  fullName(user: UserModel): string {
    return `${user.firstname} ${user.lastname}`.trim() || user.username;
  }
}
