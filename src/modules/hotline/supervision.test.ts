// Deadlines and the 督办 ladder over the National Day 2026 holiday (1–7 Oct off, Sat 10 Oct a
// make-up working day), with a ManualClock and the real job runner.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, type World } from './test-world.js';
import { LIAISON_POST } from '../../platform/org/index.js';
import { LIAISON_TEMPLATES } from './notices.js';

let w: World;
// Wed 30 Sep 2026, 10:00 Beijing time.
beforeAll(async () => { w = await makeWorld({ clock: '2026-09-30T02:00:00Z' }); });
afterAll(async () => { await w?.close(); });

const must = async (who: Parameters<World['call']>[0], id: string, name: string, body: unknown = {}) => {
  const r = await w.call(who, 'POST', `/api/hotline/orders/${id}/${name}`, body);
  expect(r.statusCode, `${name} as ${who}: ${r.body}`).toBe(200);
  return r.json();
};
const RANK = { remind: 0, urge: 1, notice: 2 };
const marks = async (id: string) => (await w.core.db.selectFrom('hotline_supervision').select(['kind', 'at']).where('order_id', '=', id).execute())
  .sort((a, b) => +a.at - +b.at || RANK[a.kind] - RANK[b.kind]).map((r) => r.kind);
const at = async (iso: string) => { w.clock.set(iso); await w.runJobs(); };

describe('time limits across the National Day holiday', () => {
  it('counts only working days, including the make-up Saturday', async () => {
    const ask = await w.intake({ demandType: '咨询', content: '国庆期间公积金中心是否办公？', categoryCode: '020401' });
    // 咨询, 2 working days: Thu 8 Oct, Fri 9 Oct.
    expect(ask.order.dueAt).toBe('2026-10-09T15:59:59.999Z');
    const help = await w.intake({ demandType: '求助' });
    // 求助, 10 working days: 8, 9, 10 (make-up), 12–16, 19, 20 Oct.
    expect(help.order.dueAt).toBe('2026-10-20T15:59:59.999Z');
    const complaint = await w.intake({ demandType: '投诉' });
    expect(complaint.order.dueAt).toBe('2026-10-27T15:59:59.999Z');
  });
});

describe('督办 ladder', () => {
  it('reminds on the deadline day, urges (催办) the day after, and issues a 通报 after 5 more working days', async () => {
    w.clock.set('2026-09-30T02:00:00Z');
    const { order } = await w.intake({ demandType: '咨询', content: '小区门口井盖缺失，很危险', categoryCode: '010202' });
    await must('disp', order.id, 'dispatch', { departmentId: w.units['HL-ROAD'] });
    await at('2026-10-08T15:00:00Z'); // Thu 8 Oct, 23:00 — the day before the deadline day
    expect(await marks(order.id)).toEqual([]);
    await at('2026-10-09T01:00:00Z'); // Fri 9 Oct, 09:00 — deadline day
    expect(await marks(order.id)).toEqual(['remind']);
    await at('2026-10-09T16:00:01Z'); // Sat 10 Oct (make-up working day), 00:00:01
    expect(await marks(order.id)).toEqual(['remind', 'urge']);
    await at('2026-10-15T12:00:00Z'); // Thu 15 Oct 20:00: 5th working day after the deadline not over yet
    expect(await marks(order.id)).toEqual(['remind', 'urge']);
    await at('2026-10-15T16:00:00Z'); // Fri 16 Oct 00:00
    expect(await marks(order.id)).toEqual(['remind', 'urge', 'notice']);
    const types = (await w.core.db.selectFrom('outbox').select('type').where('aggregate_id', '=', order.id).where('type', 'like', 'hotline.order.%ed').orderBy('seq').execute()).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['hotline.order.reminded', 'hotline.order.urged', 'hotline.order.noticed']));
  });

  it('tells the unit\'s liaison (post 联络员) of each rung by SMS and inbox, without the caller\'s details', async () => {
    w.clock.set('2026-09-30T02:00:00Z');
    const dept = w.units['HL-WATER']!;
    await w.core.db.insertInto('org_post').values({ department_id: dept, name: LIAISON_POST }).execute();
    await w.core.db.updateTable('account').set({ post: LIAISON_POST }).where('id', '=', w.ids.water!).execute();
    const { order } = await w.intake({ demandType: '咨询', content: '停水三天了，来电人身份证号530102199001011234，电话13812345678', categoryCode: '120101' });
    await must('disp', order.id, 'dispatch', { departmentId: dept });
    await at('2026-10-09T01:00:00Z');
    await at('2026-10-09T16:00:01Z');
    await at('2026-10-15T16:00:00Z');
    const sent = await w.core.db.selectFrom('notification').select(['account_id', 'channel', 'template_key', 'body', 'status']).where('template_key', 'like', 'hotline.order-%').orderBy('created_at').execute();
    // Only the liaison (not water2, the other staff member of the unit).
    expect(new Set(sent.map((n) => n.account_id))).toEqual(new Set([w.ids.water]));
    expect(sent.filter((n) => n.channel === 'sms').map((n) => n.template_key)).toEqual([LIAISON_TEMPLATES.remind, LIAISON_TEMPLATES.urge, LIAISON_TEMPLATES.notice]);
    expect(sent.filter((n) => n.channel === 'inbox')).toHaveLength(3);
    const sms = sent.filter((n) => n.channel === 'sms');
    expect(sms[1]!.body).toBe(`【云岭12345】催办：工单 ${order.number}（停水）已于 2026-10-09 23:59 超期，请HL-WATER 承办单位立即办理答复。`);
    for (const n of sent) {
      expect(n.body).not.toMatch(/530102199001011234|13812345678|王小明/);
      expect(n.body).toContain(order.number);
    }
    expect(sms.every((n) => n.status === 'sent')).toBe(true);
  });

  it('stops once the unit replies, and follows an approved extension', async () => {
    w.clock.set('2026-09-30T02:00:00Z');
    const replied = await w.intake({ demandType: '咨询', content: '路灯坏了', categoryCode: '010203' });
    const extended = await w.intake({ demandType: '咨询', content: '人行道被占用', categoryCode: '010204' });
    for (const o of [replied.order, extended.order]) {
      await must('disp', o.id, 'dispatch', { departmentId: w.units['HL-ROAD'] });
      await must('road', o.id, 'sign');
    }
    await at('2026-10-08T02:00:00Z');
    await must('road', replied.order.id, 'reply', { reply: '已修复' });
    await must('road', extended.order.id, 'extension', { workingDays: 3, reason: '需协调城管', legalBasis: '《城市道路管理条例》' });
    const ok = await must('disp', extended.order.id, 'extension-decision', { approve: true });
    // Fri 9 Oct + 3 working days: Sat 10 (make-up), Mon 12, Tue 13.
    expect(ok.dueAt).toBe('2026-10-13T15:59:59.999Z');
    await at('2026-10-09T16:00:01Z');
    expect(await marks(replied.order.id)).toEqual([]);
    expect(await marks(extended.order.id)).toEqual([]);
    await at('2026-10-13T01:00:00Z'); // Tue 13 Oct 09:00, the new deadline day
    expect(await marks(extended.order.id)).toEqual(['remind']);
    await at('2026-10-13T16:00:01Z');
    expect(await marks(extended.order.id)).toEqual(['remind', 'urge']);
  });

  it('does not remind once the deadline has passed (a late runner sends 催办 instead)', async () => {
    w.clock.set('2026-09-30T02:00:00Z');
    const { order } = await w.intake({ demandType: '咨询', content: '公交站牌损坏', categoryCode: '030102' });
    await must('disp', order.id, 'dispatch', { departmentId: w.units['HL-ROAD'] });
    await at('2026-10-09T16:00:01Z'); // nothing ran on the deadline day
    expect(await marks(order.id)).toEqual(['urge']);
  });
});
