import { InvalidInput } from '@plein/sdk';
import type { ItemStatus } from '../entities/moderation-item.entity';
import { LANES, type Lane } from '../events';
import type { LogFilter } from './moderation-log.service';

/** Reads `?lane=`: absent for every lane, else one of the lanes (a 422 naming `lane` otherwise). */
export function parseLane(value: unknown): Lane | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !(LANES as readonly string[]).includes(value)) {
    throw new InvalidInput([{ field: 'lane', message: `must be one of ${LANES.join(', ')}` }]);
  }
  return value as Lane;
}

/** Reads `?status=` of the queue: `open` (default), `decided` or `closed`. */
export function parseItemStatus(value: unknown): ItemStatus {
  if (value === undefined || value === '') return 'open';
  if (value !== 'open' && value !== 'decided' && value !== 'closed') {
    throw new InvalidInput([{ field: 'status', message: 'must be open, decided or closed' }]);
  }
  return value;
}

/** A date and time (ISO 8601, or a date: its midnight UTC), or a 422 naming the field. */
export function parseDate(value: unknown, field: string): Date | undefined {
  if (value === undefined || value === '') return undefined;
  const date = typeof value === 'string' && value.length <= 40 ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) throw new InvalidInput([{ field, message: 'must be a date (ISO 8601)' }]);
  return date;
}

const ID = /^[A-Za-z0-9-]{1,64}$/;
const ACTION = /^[a-z-]+\.[a-z-]+$/;

/** The log's filters from a query string; each checked, each optional. */
export function parseLogFilter(query: Record<string, unknown>): LogFilter {
  const filter: LogFilter = {};
  for (const key of ['actorId', 'userId', 'spaceId', 'contentId'] as const) {
    const value = query[key];
    if (value === undefined || value === '') continue;
    if (typeof value !== 'string' || !ID.test(value))
      throw new InvalidInput([{ field: key, message: 'must be an id' }]);
    filter[key] = value;
  }
  const action = query.action;
  if (action !== undefined && action !== '') {
    if (typeof action !== 'string' || !ACTION.test(action) || action.length > 48) {
      throw new InvalidInput([{ field: 'action', message: 'must be an action such as item.decided' }]);
    }
    filter.action = action;
  }
  filter.since = parseDate(query.since, 'since');
  filter.until = parseDate(query.until, 'until');
  return filter;
}
