/**
 * Who sees which event, as one SQL predicate over `calendar.calendar_events as e`
 * (the rules are documented on CalendarEvent in schema/calendar.graphql).
 * Overrides of a series are seen exactly like their series.
 */
import { sql, type ExpressionBuilder, type Expression, type SqlBool } from 'kysely';
import { hasRole, type Viewer } from '../../../platform/auth/viewer.js';
import type { CalendarDatabase } from '../database.js';

type EventsScope = ExpressionBuilder<CalendarDatabase & { e: CalendarDatabase['calendar.calendar_events'] }, 'e'>;

/** Admins and managers see every event of their company (services act as admins). */
export const seesWholeCompany = (viewer: Viewer) => hasRole(viewer, 'admin', 'manager');

/** Event types every employee of the company sees: the project calendar. */
export const EMPLOYEE_WIDE_TYPES = ['TASK_DEADLINE', 'MILESTONE'] as const;
/** Event types everybody in the company sees. */
export const COMPANY_WIDE_TYPES = ['HOLIDAY'] as const;

/**
 * What decides the predicate's form, not its values: a prepared statement
 * (platform/database/prepared-query.ts) keeps one per form.
 */
export function visibilityForm(viewer: Viewer): string {
  if (seesWholeCompany(viewer)) return 'company';
  return `${hasRole(viewer, 'employee') ? 'employee' : 'member'}${viewer.moodleUserId ? '_user' : ''}`;
}

/** A viewer of the same form whose company and user are a prepared query's stand-ins. */
export function viewerOfForm(viewer: Viewer, companyId: string, moodleUserId: string): Viewer {
  return { userId: '', roles: viewer.roles, companyId, moodleUserId: viewer.moodleUserId ? moodleUserId : undefined };
}

/** The predicate; a branch added here that reads another property of the viewer must show in visibilityForm too. */
export function visibleTo(viewer: Viewer) {
  return (eb: EventsScope): Expression<SqlBool> => {
    const company = eb('e.company_id', '=', viewer.companyId);
    if (seesWholeCompany(viewer)) return company;
    const reasons: Expression<SqlBool>[] = [eb('e.event_type', 'in', [...COMPANY_WIDE_TYPES])];
    if (hasRole(viewer, 'employee')) reasons.push(eb('e.event_type', 'in', [...EMPLOYEE_WIDE_TYPES]));
    const userId = viewer.moodleUserId;
    if (userId) {
      reasons.push(eb('e.organizer_id', '=', userId));
      reasons.push(
        eb.exists(
          eb
            .selectFrom('calendar.event_participants as p')
            .select(sql.lit(1).as('one'))
            .where('p.user_id', '=', userId)
            .where('p.event_id', '=', eb.fn.coalesce('e.parent_id', 'e.id')),
        ),
      );
    }
    return eb.and([company, eb.or(reasons)]);
  };
}
