// The calendar of a running node: national years from packs/calendar plus division overrides from
// the calendar_day table. Writes go through setDivisionDay (audited, evented); every node reloads
// its overrides when it sees the event (broadcast), so all nodes compute the same deadlines.
import { sql } from 'kysely';
import type { Db } from '../db/types.js';
import type { Core } from '../index.js';
import type { Actor } from '../audit/record.js';
import { recordChange } from '../audit/record.js';
import { buildCalendar, loadNationalCalendars, type WorkingCalendar } from './index.js';
import type { DivisionOverride, YearData } from './types.js';

export class CalendarStore {
  private constructor(
    private readonly db: Db,
    private readonly national: YearData[],
    private current: WorkingCalendar,
  ) {}

  static async load(db: Db): Promise<CalendarStore> {
    const national = loadNationalCalendars();
    const store = new CalendarStore(db, national, buildCalendar(national));
    await store.reload();
    return store;
  }

  async reload(): Promise<void> {
    const rows = await this.db.selectFrom('calendar_day').select(['division', 'date', 'kind', 'name']).execute();
    this.current = buildCalendar(this.national, rows as DivisionOverride[]);
  }

  get calendar(): WorkingCalendar {
    return this.current;
  }

  get years(): number[] {
    return this.national.map((y) => y.year).sort();
  }

  addWorkingDays(...a: Parameters<WorkingCalendar['addWorkingDays']>) {
    return this.current.addWorkingDays(...a);
  }

  addWorkingHours(...a: Parameters<WorkingCalendar['addWorkingHours']>) {
    return this.current.addWorkingHours(...a);
  }

  workingDaysBetween(...a: Parameters<WorkingCalendar['workingDaysBetween']>) {
    return this.current.workingDaysBetween(...a);
  }

  dayInfo(...a: Parameters<WorkingCalendar['dayInfo']>) {
    return this.current.dayInfo(...a);
  }
}

/** Sets (or replaces) a local holiday or workday for a division; audited and evented. */
export async function setDivisionDay(core: Core, actor: Actor, day: DivisionOverride): Promise<void> {
  await core.db.transaction().execute(async (tx) => {
    await sql`INSERT INTO calendar_day (division, date, kind, name) VALUES (${day.division}, ${day.date}, ${day.kind}, ${day.name})
      ON CONFLICT (division, date) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name, updated_at = now()`.execute(tx);
    await recordChange(tx, actor, { action: 'core.calendar.day-set', object: { type: 'calendar-day', id: `${day.division}:${day.date}` }, division: day.division, detail: { ...day } },
      { type: 'core.calendar.day-set', payload: { ...day } });
  });
  await core.calendar.reload();
}

export async function deleteDivisionDay(core: Core, actor: Actor, division: string, date: string): Promise<boolean> {
  const removed = await core.db.transaction().execute(async (tx) => {
    const r = await tx.deleteFrom('calendar_day').where('division', '=', division).where('date', '=', date).returning('kind').executeTakeFirst();
    if (!r) return false;
    await recordChange(tx, actor, { action: 'core.calendar.day-delete', object: { type: 'calendar-day', id: `${division}:${date}` }, division, detail: { division, date } },
      { type: 'core.calendar.day-deleted', payload: { division, date } });
    return true;
  });
  if (removed) await core.calendar.reload();
  return removed;
}
