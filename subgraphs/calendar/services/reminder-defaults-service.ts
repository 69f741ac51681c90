/** A user's default reminders (each user only theirs). */
import type { Viewer } from '../../../platform/auth/viewer.js';
import { forbidden } from '../../../platform/errors.js';
import type { ReminderRepository } from '../repositories/reminder-repository.js';
import { checkedReminders } from './reminder-minutes.js';

export class ReminderDefaultsService {
  constructor(
    private readonly viewer: Viewer,
    private readonly reminders: ReminderRepository,
  ) {}

  async get(): Promise<number[]> {
    if (!this.viewer.moodleUserId) return [];
    return (await this.reminders.defaultsOf(this.viewer.companyId, [this.viewer.moodleUserId])).get(this.viewer.moodleUserId) ?? [];
  }

  async set(minutes: readonly number[]): Promise<number[]> {
    if (!this.viewer.moodleUserId) throw forbidden('Only users with a calendar of their own have reminders');
    const checked = checkedReminders(minutes, 'minutesBefore');
    await this.reminders.saveDefaults(this.viewer.companyId, this.viewer.moodleUserId, checked);
    return checked;
  }
}
