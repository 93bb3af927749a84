// 办理时限: working days per demand type (urgent orders: hours), configurable per division with
// county → prefecture → province inheritance. The limit is fixed on the order at intake, so a later
// change of the configuration never moves the deadline of an order already running.
import type { Core } from '../../core/index.js';
import type { Executor } from '../../core/db/types.js';
import { recordChange } from '../../core/audit/record.js';
import { AppError, type FieldError } from '../../core/http/errors.js';
import { getDivision } from '../../core/divisions/service.js';
import { DEMAND_TYPES, type DemandType } from './catalog.js';
import { assertMayIn, type Caller } from './access.js';

/** Guangdong 2022 rules (domain-standards §1.3 table); urgent orders 24 clock hours. */
export const DEFAULT_LIMITS: Record<DemandType, number> = { '咨询': 2, '求助': 10, '意见建议': 10, '投诉': 15, '举报': 15, '表扬': 10 };
export const DEFAULT_URGENT_HOURS = 24;

export interface TimeLimit {
  workingDays: number;
  urgentHours: number;
  /** Division whose setting applied, or `default`. */
  source: string;
}

/** The division itself, then its county, prefecture and province. */
export function divisionChain(code: string): string[] {
  const c6 = code.slice(0, 6);
  return [...new Set([code, c6, `${c6.slice(0, 4)}00`, `${c6.slice(0, 2)}0000`])];
}

export async function timeLimitFor(ex: Executor, division: string, demandType: DemandType): Promise<TimeLimit> {
  const chain = divisionChain(division);
  const rows = await ex.selectFrom('hotline_time_limit').selectAll().where('demand_type', '=', demandType).where('division', 'in', chain).execute();
  for (const d of chain) {
    const r = rows.find((x) => x.division === d);
    if (r) return { workingDays: r.working_days, urgentHours: r.urgent_hours, source: d };
  }
  return { workingDays: DEFAULT_LIMITS[demandType], urgentHours: DEFAULT_URGENT_HOURS, source: 'default' };
}

/**
 * The deadline from `start`: N working days on the division's calendar (due at the end of the N-th
 * working day, the acceptance day not counted), or, for urgent orders, clock hours — an urgent
 * matter does not wait for office hours.
 */
export function deadline(core: Core, start: Date, limit: TimeLimit, urgent: boolean, division: string): Date {
  if (urgent) return new Date(start.getTime() + limit.urgentHours * 3_600_000);
  return core.calendar.addWorkingDays(start, limit.workingDays, { division: division.slice(0, 6) }).due!;
}

export async function setTimeLimit(core: Core, caller: Caller, input: { division: string; demandType: string; workingDays: number; urgentHours: number }): Promise<TimeLimit> {
  const errors: FieldError[] = [];
  if (!(DEMAND_TYPES as readonly string[]).includes(input.demandType)) errors.push({ pointer: '/body/demandType', code: 'enum', message: `诉求类型须为 ${DEMAND_TYPES.join('、')} 之一` });
  if (!Number.isInteger(input.workingDays) || input.workingDays < 1 || input.workingDays > 365) errors.push({ pointer: '/body/workingDays', code: 'range', message: '办理时限须为 1–365 个工作日' });
  if (!Number.isInteger(input.urgentHours) || input.urgentHours < 1 || input.urgentHours > 240) errors.push({ pointer: '/body/urgentHours', code: 'range', message: '紧急时限须为 1–240 小时' });
  if (errors.length) throw new AppError('VALIDATION_FAILED', undefined, errors);
  if (!(await getDivision(core.db, input.division))) throw new AppError('DIVISION_NOT_FOUND');
  assertMayIn(caller.principal, 'hotline:config.manage', input.division);
  await core.db.transaction().execute(async (tx) => {
    await tx.insertInto('hotline_time_limit').values({ division: input.division, demand_type: input.demandType, working_days: input.workingDays, urgent_hours: input.urgentHours })
      .onConflict((oc) => oc.columns(['division', 'demand_type']).doUpdateSet({ working_days: input.workingDays, urgent_hours: input.urgentHours })).execute();
    await recordChange(tx, caller.actor, { action: 'hotline.time-limit.set', object: { type: 'hotline.time-limit', id: `${input.division}:${input.demandType}` }, division: input.division, detail: { ...input } },
      { type: 'hotline.time-limit.set', payload: { ...input } });
  });
  return { workingDays: input.workingDays, urgentHours: input.urgentHours, source: input.division };
}
