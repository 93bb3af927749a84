// What an action requires before it may happen: a comment, fields present, attachments, a form
// that validates, a rule that holds. Every unmet requirement is reported at once, each with the
// JSON Pointer of what to fix (/comment, /attachments, /data/...).
import type { Core } from '../../core/index.js';
import type { Executor } from '../../core/db/types.js';
import type { FieldError, Lang } from '../../core/http/errors.js';
import type { Principal } from '../../core/http/auth.js';
import type { ActionDef } from './definition.js';
import { mergeData, valueAt } from './data.js';
import type { InstanceRow } from './transitions.js';

export interface RequirementContext {
  row: InstanceRow;
  action: ActionDef;
  input: { comment?: string | null; data?: Record<string, unknown>; attachments?: string[] };
  lang: Lang;
  principal: Principal;
  definitionDivision: string;
}

const msg = (lang: Lang, zh: string, en: string) => (lang === 'en' ? en : zh);
const empty = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

export async function checkRequirements(core: Core, ex: Executor, ctx: RequirementContext): Promise<FieldError[]> {
  const req = ctx.action.requires;
  if (!req) return [];
  const { lang } = ctx;
  const out: FieldError[] = [];
  if (req.comment && !ctx.input.comment?.trim()) out.push({ pointer: '/comment', code: 'required', message: msg(lang, '请填写办理意见', 'A comment is required') });
  const data = ctx.input.data ? mergeData(ctx.row.data as Record<string, unknown>, ctx.input.data) : (ctx.row.data as Record<string, unknown>);
  for (const f of req.fields ?? []) {
    if (empty(valueAt(data, f))) out.push({ pointer: `/data${f}`, code: 'required', message: msg(lang, `请填写「${f.slice(1)}」`, `${f.slice(1)} is required`) });
  }
  const n = ctx.input.attachments?.length ?? 0;
  if (req.attachments?.min !== undefined && n < req.attachments.min) out.push({ pointer: '/attachments', code: 'minItems', message: msg(lang, `至少需要上传 ${req.attachments.min} 个附件`, `At least ${req.attachments.min} attachments`) });
  if (req.attachments?.max !== undefined && n > req.attachments.max) out.push({ pointer: '/attachments', code: 'maxItems', message: msg(lang, `最多上传 ${req.attachments.max} 个附件`, `At most ${req.attachments.max} attachments`) });
  if (req.form) {
    const forms = await import('../forms/index.js');
    const form = await forms.getForm(ex, req.form.key, { version: req.form.version, division: ctx.row.division });
    if (!form) out.push({ pointer: '/data', code: 'form', message: msg(lang, `表单「${req.form.key}」不存在或已撤回`, `Form ${req.form.key} is not available`) });
    else out.push(...(await forms.validateSubmission(form, data, lang)));
  }
  if (req.rule) {
    const rules = await import('../rules/index.js');
    // Facts are read through this transaction (on PGlite the pool has a single connection).
    const facts = { core, ex, applicant: ctx.row.applicant, purpose: `workflow:${ctx.row.id}`, case: { ...data, division: ctx.row.division, number: ctx.row.number, key: ctx.row.key } };
    const result = req.rule.key
      ? await rules.evaluateByKey(core, ex, req.rule.key, ctx.row.division, facts, lang)
      : await rules.evaluateInline(req.rule.conditions as never, facts, lang);
    if (!result.passed) for (const e of result.explanation) out.push({ pointer: '/data', code: 'rule', message: e });
  }
  return out;
}
