import type { BaseContext } from '../../platform/subgraph/subgraph-module.js';
import type { CalendarEventService } from './services/calendar-event-service.js';

export interface CalendarContext extends BaseContext {
  events: CalendarEventService;
}
