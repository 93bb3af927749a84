// 督办 by SMS (domain-standards §1.3: "each unit names a liaison, and the hotline prompts by SMS"):
// each rung of the ladder (supervision.ts) also tells the handling unit's liaisons — staff of the
// department holding the org post 联络员 (platform/org LIAISON_POST) — by SMS and in-app inbox,
// through notify's templates, in the rung's own transaction. The message names the order number,
// the category, the unit and the deadline; never the caller, the content or any ID number (notify
// scrubs ID numbers and third-party mobiles anyway).
import type { Core } from '../../core/index.js';
import type { Executor } from '../../core/db/types.js';
import { notify, registerTemplate } from '../../platform/notify/index.js';
import { departmentLiaisons } from '../../platform/org/index.js';
import type { Rung } from './supervision.js';

const DATA = ['number', 'category', 'unit', 'dueAt'];
export const LIAISON_TEMPLATES: Record<Rung, string> = { remind: 'hotline.order-reminded', urge: 'hotline.order-urged', notice: 'hotline.order-noticed' };

registerTemplate({
  key: LIAISON_TEMPLATES.remind, category: 'reminder', channels: ['inbox', 'sms'], placeholders: DATA,
  subject: { 'zh-CN': '12345工单即将到期：{{number}}', en: '12345 order due soon: {{number}}' },
  body: { 'zh-CN': '【督办提醒】{{unit}}：12345工单 {{number}}（{{category}}）将于 {{dueAt}} 到期，请及时办理并答复。', en: 'Reminder to {{unit}}: 12345 order {{number}} ({{category}}) is due by {{dueAt}}. Please handle and reply.' },
  smsBody: { 'zh-CN': '【云岭12345】督办提醒：工单 {{number}}（{{category}}）将于 {{dueAt}} 到期，请{{unit}}及时办理答复。', en: '[Yunling 12345] Reminder: order {{number}} ({{category}}) is due by {{dueAt}}.' },
});
registerTemplate({
  key: LIAISON_TEMPLATES.urge, category: 'reminder', channels: ['inbox', 'sms'], placeholders: DATA,
  subject: { 'zh-CN': '12345工单催办：{{number}} 已超期', en: '12345 order overdue: {{number}}' },
  body: { 'zh-CN': '【催办】{{unit}}：12345工单 {{number}}（{{category}}）已于 {{dueAt}} 超过办理时限，请立即办理并答复。', en: 'Overdue, {{unit}}: 12345 order {{number}} ({{category}}) passed its deadline {{dueAt}}. Please reply now.' },
  smsBody: { 'zh-CN': '【云岭12345】催办：工单 {{number}}（{{category}}）已于 {{dueAt}} 超期，请{{unit}}立即办理答复。', en: '[Yunling 12345] Overdue: order {{number}} ({{category}}) was due {{dueAt}}.' },
});
registerTemplate({
  key: LIAISON_TEMPLATES.notice, category: 'task', channels: ['inbox', 'sms'], placeholders: DATA,
  subject: { 'zh-CN': '12345工单超期通报：{{number}}', en: '12345 order breach notice: {{number}}' },
  body: { 'zh-CN': '【通报】{{unit}}：12345工单 {{number}}（{{category}}）超过办理时限 {{dueAt}} 后5个工作日仍未答复，现予通报。', en: 'Notice to {{unit}}: 12345 order {{number}} ({{category}}) is still unanswered 5 working days after its deadline {{dueAt}}.' },
  smsBody: { 'zh-CN': '【云岭12345】通报：工单 {{number}}（{{category}}）超期5个工作日仍未答复，请{{unit}}立即办理。', en: '[Yunling 12345] Notice: order {{number}} ({{category}}) is 5 working days overdue.' },
});

/** Beijing local time, to the minute: 2026-10-09 23:59. */
const local = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

/** Sends the rung's message to every liaison of the order's unit; returns how many liaisons were told. */
export async function notifyLiaisons(core: Core, ex: Executor, rung: Rung, o: { id: string; number: string; division: string; category_path: string; unit_department_id: string | null; due_at: Date | string | null }): Promise<number> {
  if (!o.unit_department_id || !o.due_at) return 0;
  const liaisons = await departmentLiaisons(ex, o.unit_department_id);
  if (!liaisons.length) return 0;
  const unit = (await ex.selectFrom('department').select('name').where('id', '=', o.unit_department_id).executeTakeFirst())?.name ?? '';
  const data = { number: o.number, category: o.category_path.split('/').at(-1) ?? o.category_path, unit, dueAt: local(new Date(o.due_at)) };
  for (const l of liaisons) await notify(core, ex, { to: l.id, template: LIAISON_TEMPLATES[rung], data, purpose: `hotline.order:${o.id}`, division: o.division });
  return liaisons.length;
}
