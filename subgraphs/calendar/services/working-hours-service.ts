/** Setting one's own working hours (each user only theirs). */
import type { Viewer } from '../../../platform/auth/viewer.js';
import { forbidden } from '../../../platform/errors.js';
import type { WorkingHoursRepository } from '../repositories/working-hours-repository.js';
import { checkedWorkingHours, workingHoursView, type WorkingHoursView } from './working-hours.js';

export class WorkingHoursService {
  constructor(
    private readonly viewer: Viewer,
    private readonly hours: WorkingHoursRepository,
  ) {}

  async set(input: { timezone: string; days: readonly number[]; start: string; end: string }): Promise<WorkingHoursView> {
    if (!this.viewer.moodleUserId) throw forbidden('Only users with a calendar of their own have working hours');
    const hours = checkedWorkingHours(input);
    await this.hours.save(this.viewer.companyId, this.viewer.moodleUserId, hours);
    return workingHoursView(hours);
  }
}
