// Working-day calendar over HTTP: day info, deadline computation, local overrides.
import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Core } from '../index.js';
import { AppError } from '../http/errors.js';
import { actorOf, requireScope } from '../http/auth.js';
import { getDivision } from '../divisions/service.js';
import { deleteDivisionDay, setDivisionDay } from '../calendar/store.js';
import { cstInstant } from '../calendar/index.js';

const DayInfo = Type.Object({
  date: Type.String(),
  working: Type.Boolean(),
  kind: Type.String({ enum: ['workday', 'weekend', 'holiday', 'makeup-workday'] }),
  name: Type.Optional(Type.String()),
  source: Type.String(),
});

const MAX_DAYS = 400;
const tags = ['工作日历 calendar'];

async function requireDivision(core: Core, code: string | undefined): Promise<void> {
  if (code && !(await getDivision(core.db, code))) throw new AppError('DIVISION_NOT_FOUND', { 'zh-CN': `行政区划 ${code} 不存在`, en: `No division ${code}` });
}

export const calendarRoutes = (core: Core) => async (app: FastifyInstance) => {
  app.get('/api/calendar/days', {
    config: { public: true },
    schema: {
      tags,
      summary: '日历 Working/holiday status of each day in a range (at most 400 days)',
      querystring: Type.Object({
        from: Type.String({ format: 'date' }),
        to: Type.String({ format: 'date' }),
        division: Type.Optional(Type.String({ format: 'division-code' })),
      }),
      response: { 200: Type.Object({ items: Type.Array(DayInfo), years: Type.Array(Type.Integer()) }) },
    },
  }, async (req) => {
    const q = req.query as { from: string; to: string; division?: string };
    await requireDivision(core, q.division);
    const from = cstInstant(q.from);
    const to = cstInstant(q.to);
    const days = Math.round((to.getTime() - from.getTime()) / 86_400_000);
    if (days < 0 || days >= MAX_DAYS) {
      throw new AppError('CALENDAR_RANGE', { 'zh-CN': `结束日期须不早于开始日期，且范围不超过 ${MAX_DAYS} 天`, en: `to must not precede from and the range must be under ${MAX_DAYS} days` }, [
        { pointer: '/query/to', code: 'range', message: req.headers['accept-language']?.startsWith('en') ? `must be within ${MAX_DAYS} days after from` : `须在开始日期后 ${MAX_DAYS} 天以内` },
      ]);
    }
    const items = [];
    for (let i = 0; i <= days; i++) items.push(core.calendar.dayInfo(new Date(from.getTime() + i * 86_400_000), q.division));
    return { items, years: core.calendar.years };
  });

  app.get('/api/calendar/deadline', {
    config: { public: true },
    schema: {
      tags,
      summary: '期限计算 Deadline after N working days (acceptance day not counted; due at 23:59:59 CST) or N working hours',
      querystring: Type.Object({
        start: Type.String({ format: 'date-time' }),
        days: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
        hours: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 8760 })),
        division: Type.Optional(Type.String({ format: 'division-code' })),
      }),
      response: { 200: Type.Object({ due: Type.String({ format: 'date-time' }), fallbackYears: Type.Array(Type.Integer()) }) },
    },
  }, async (req) => {
    const q = req.query as { start: string; days?: number; hours?: number; division?: string };
    if ((q.days === undefined) === (q.hours === undefined)) {
      throw new AppError('VALIDATION_FAILED', undefined, [{ pointer: '/query/days', code: 'oneOf', message: req.headers['accept-language']?.startsWith('en') ? 'give either days or hours' : '请填写工作日数或工作小时数（二选一）' }]);
    }
    await requireDivision(core, q.division);
    const start = new Date(q.start);
    const r = q.days !== undefined ? core.calendar.addWorkingDays(start, q.days, { division: q.division }) : core.calendar.addWorkingHours(start, q.hours!, { division: q.division });
    return { due: r.due!.toISOString(), fallbackYears: r.fallbackYears };
  });

  const DayParams = Type.Object({ code: Type.String({ format: 'division-code' }), date: Type.String({ format: 'date' }) });

  app.put('/api/calendar/divisions/:code/days/:date', {
    config: { permission: 'core:calendar.write' },
    schema: {
      tags,
      summary: '设置地方节假日或调休 Set a local holiday or workday for a division and its subtree',
      params: DayParams,
      body: Type.Object({ kind: Type.String({ enum: ['holiday', 'workday'] }), name: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }),
      response: { 200: DayInfo },
    },
  }, async (req) => {
    const { code, date } = req.params as { code: string; date: string };
    const body = req.body as { kind: 'holiday' | 'workday'; name: string };
    requireScope(req, code, 'core:calendar.write');
    await requireDivision(core, code);
    await setDivisionDay(core, actorOf(req), { division: code, date, kind: body.kind, name: body.name });
    // The answer follows from the override just written; no calendar rebuild on the write path.
    const weekend = [0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());
    return { date, working: body.kind === 'workday', kind: body.kind === 'holiday' ? 'holiday' : weekend ? 'makeup-workday' : 'workday', name: body.name, source: `division:${code}` };
  });

  app.delete('/api/calendar/divisions/:code/days/:date', {
    config: { permission: 'core:calendar.write' },
    schema: { tags, summary: '删除地方日历设置 Remove a local override', params: DayParams },
  }, async (req, reply) => {
    const { code, date } = req.params as { code: string; date: string };
    requireScope(req, code, 'core:calendar.write');
    if (!(await deleteDivisionDay(core, actorOf(req), code, date))) throw new AppError('NOT_FOUND');
    return reply.code(204).send();
  });
};
