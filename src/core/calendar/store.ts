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
  /** Overrides by `division|date`; the calendar is rebuilt from them lazily, only after a change. */
  private overrides = new Map<string, DivisionOverride>();
  private built: WorkingCalendar | null = null;

  private constructor(
    private readonly db: Db,
    private readonly national: YearData[],
  ) {}

  static async load(db: Db): Promise<CalendarStore> {
    const store = new CalendarStore(db, loadNationalCalendars());
    await store.reload();
    return store;
  }

  /** Re-reads every override from the database (start-up, or after missing events). */
  async reload(): Promise<void> {
    const rows = await this.db.selectFrom('calendar_day').select(['division', 'date', 'kind', 'name']).execute();
    this.overrides = new Map(rows.map((r) => [`${r.division}|${r.date}`, r as DivisionOverride]));
    this.built = null;
  }

  /** Applies one change (from this node's write or another node's event) without a database read. */
  apply(change: { division: string; date: string; kind?: 'holiday' | 'workday'; name?: string }): void {
    const key = `${change.division}|${change.date}`;
    if (change.kind && change.name) this.overrides.set(key, { division: change.division, date: change.date, kind: change.kind, name: change.name });
    else this.overrides.delete(key);
    this.built = null;
  }

  get calendar(): WorkingCalendar {
    if (!this.built) this.built = buildCalendar(this.national, [...this.overrides.values()]);
    return this.built;
  }

  get years(): number[] {
    return this.national.map((y) => y.year).sort();
  }

  addWorkingDays(...a: Parameters<WorkingCalendar['addWorkingDays']>) {
    return this.calendar.addWorkingDays(...a);
  }

  addWorkingHours(...a: Parameters<WorkingCalendar['addWorkingHours']>) {
    return this.calendar.addWorkingHours(...a);
  }

  workingDaysBetween(...a: Parameters<WorkingCalendar['workingDaysBetween']>) {
    return this.calendar.workingDaysBetween(...a);
  }

  dayInfo(...a: Parameters<WorkingCalendar['dayInfo']>) {
    return this.calendar.dayInfo(...a);
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
  core.calendar.apply(day);
}

export async function deleteDivisionDay(core: Core, actor: Actor, division: string, date: string): Promise<boolean> {
  const removed = await core.db.transaction().execute(async (tx) => {
    const r = await tx.deleteFrom('calendar_day').where('division', '=', division).where('date', '=', date).returning('kind').executeTakeFirst();
    if (!r) return false;
    await recordChange(tx, actor, { action: 'core.calendar.day-delete', object: { type: 'calendar-day', id: `${division}:${date}` }, division, detail: { division, date } },
      { type: 'core.calendar.day-deleted', payload: { division, date } });
    return true;
  });
  if (removed) core.calendar.apply({ division, date });
  return removed;
}
