// Message templates as data: pure parsing, validation and rendering (no database here).
// A body uses `{{name}}` placeholders, each of which must be declared; rendering substitutes
// every placeholder in one pass (a value that itself contains `{{x}}` is not expanded again).
import { AppError, type FieldError, type Lang } from '../../core/http/errors.js';
import type { LocalizedText } from '../../core/validators/index.js';
import type { Category, Channel } from './tables.js';

export const CHANNELS: readonly Channel[] = ['sms', 'email', 'inbox'];
export const CATEGORIES: readonly Category[] = ['case-status', 'task', 'reminder', 'security'];
/** Long-SMS limit of the gateways we target (a 70-character SMS is split into up to 7 parts). */
export const SMS_MAX = 500;
export const TEMPLATE_KEY = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+$/;
export const PLACEHOLDER_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const TOKEN = /\{\{\s*([A-Za-z][A-Za-z0-9_]{0,63})\s*\}\}/g;

export type Texts = { 'zh-CN': string; en: string };

/** What a template is made of, as published (one version). */
export interface TemplateDefinition {
  key: string;
  category: Category;
  channels: Channel[];
  placeholders: string[];
  /** E-mail subject and in-app title. */
  subject: Texts;
  /** E-mail and in-app body; also the SMS body when `smsBody` is absent. */
  body: Texts;
  /** A shorter text for SMS (at most SMS_MAX characters, placeholders included). */
  smsBody?: Texts | null;
}

export interface TemplateVersion extends TemplateDefinition {
  id: string;
  division: string;
  version: number;
  builtin: boolean;
  createdBy: string;
  createdAt: string;
}

export type TemplateData = Record<string, string | number>;

export interface RenderedMessage {
  key: string;
  version: number;
  division: string;
  category: Category;
  lang: Lang;
  subject: string;
  body: string;
}

const t = (lang: Lang, m: LocalizedText) => (lang === 'en' ? m.en : m['zh-CN']);

/** Placeholder names used in a text, in order of first use; `broken` when a `{{`/`}}` is not a placeholder. */
export function placeholdersIn(text: string): { names: string[]; broken: boolean } {
  const names: string[] = [];
  for (const m of text.matchAll(TOKEN)) if (!names.includes(m[1]!)) names.push(m[1]!);
  const rest = text.replace(TOKEN, '');
  return { names, broken: rest.includes('{{') || rest.includes('}}') };
}

/** Every problem of a definition at once, pointers relative to the request body. */
export function templateProblems(def: TemplateDefinition, lang: Lang): FieldError[] {
  const errors: FieldError[] = [];
  const bad = (pointer: string, code: string, m: LocalizedText) => errors.push({ pointer: `/body${pointer}`, code, message: t(lang, m) });
  if (!TEMPLATE_KEY.test(def.key) || def.key.length > 100) bad('/key', 'pattern', { 'zh-CN': '模板编码须为小写字母、数字和连字符，以点分段，如 workflow.task-assigned', en: 'Use lower-case dotted segments, e.g. workflow.task-assigned' });
  if (!CATEGORIES.includes(def.category)) bad('/category', 'enum', { 'zh-CN': `类别只能是：${CATEGORIES.join('、')}`, en: `must be one of: ${CATEGORIES.join(', ')}` });
  if (def.channels.length === 0) bad('/channels', 'minItems', { 'zh-CN': '至少选择一个渠道', en: 'Choose at least one channel' });
  def.channels.forEach((c, i) => {
    if (!CHANNELS.includes(c)) bad(`/channels/${i}`, 'enum', { 'zh-CN': `渠道只能是：${CHANNELS.join('、')}`, en: `must be one of: ${CHANNELS.join(', ')}` });
    if (def.channels.indexOf(c) !== i) bad(`/channels/${i}`, 'duplicate', { 'zh-CN': `渠道 ${c} 重复`, en: `Channel ${c} is listed twice` });
  });
  def.placeholders.forEach((p, i) => {
    if (!PLACEHOLDER_NAME.test(p)) bad(`/placeholders/${i}`, 'pattern', { 'zh-CN': '占位符名须以字母开头，只含字母、数字和下划线', en: 'A placeholder name starts with a letter and has only letters, digits and _' });
    if (def.placeholders.indexOf(p) !== i) bad(`/placeholders/${i}`, 'duplicate', { 'zh-CN': `占位符 ${p} 重复声明`, en: `Placeholder ${p} is declared twice` });
  });
  const texts: Array<[string, string | undefined]> = [];
  for (const field of ['subject', 'body', 'smsBody'] as const) {
    const v = def[field];
    if (!v) continue;
    for (const l of ['zh-CN', 'en'] as const) texts.push([`/${field}/${l}`, v[l]]);
  }
  for (const [pointer, text] of texts) {
    if (typeof text !== 'string' || text.trim() === '') {
      bad(pointer, 'required', { 'zh-CN': '请填写内容', en: 'is required' });
      continue;
    }
    const { names, broken } = placeholdersIn(text);
    if (broken) bad(pointer, 'placeholder-syntax', { 'zh-CN': '占位符格式应为 {{名称}}', en: 'Write placeholders as {{name}}' });
    const undeclared = names.filter((n) => !def.placeholders.includes(n));
    if (undeclared.length) bad(pointer, 'undeclared-placeholder', { 'zh-CN': `使用了未声明的占位符：${undeclared.join('、')}`, en: `Undeclared placeholders: ${undeclared.join(', ')}` });
  }
  if (def.channels.includes('sms')) {
    const field = def.smsBody ? 'smsBody' : 'body';
    for (const l of ['zh-CN', 'en'] as const) {
      const text = (def.smsBody ?? def.body)[l] ?? '';
      const n = Array.from(text).length;
      if (n > SMS_MAX) bad(`/${field}/${l}`, 'sms-length', { 'zh-CN': `短信内容不能超过 ${SMS_MAX} 字（现为 ${n} 字）`, en: `An SMS body has at most ${SMS_MAX} characters (this has ${n})` });
    }
  }
  return errors;
}

/** Substitutes `data` into `text`; every placeholder of the text needs a value. */
export function fill(text: string, data: TemplateData): { text: string; missing: string[] } {
  const missing: string[] = [];
  const out = text.replace(TOKEN, (_m, name: string) => {
    const v = Object.prototype.hasOwnProperty.call(data, name) ? data[name] : undefined;
    if (v === undefined || v === null || (typeof v === 'number' && !Number.isFinite(v))) {
      if (!missing.includes(name)) missing.push(name);
      return '';
    }
    return String(v);
  });
  return { text: out, missing };
}

/**
 * The subject and body of one version for one channel and language. A missing value is an
 * error naming every missing placeholder (pointer `/data/<name>`): a message with a hole in it is
 * never sent. An SMS longer than SMS_MAX after substitution is cut with '…' rather than failing the
 * caller's transaction (the template itself was checked at publication).
 */
export function renderVersion(tpl: TemplateVersion, data: TemplateData, lang: Lang, channel: Channel): RenderedMessage {
  const bodyText = channel === 'sms' && tpl.smsBody ? tpl.smsBody[lang] : tpl.body[lang];
  const subject = fill(tpl.subject[lang], data);
  const body = fill(bodyText, data);
  const missing = [...new Set([...subject.missing, ...body.missing])];
  if (missing.length) {
    throw new AppError('VALIDATION_FAILED', {
      'zh-CN': `消息模板 ${tpl.key} 缺少占位符的值：${missing.join('、')}`,
      en: `Template ${tpl.key} is missing values for: ${missing.join(', ')}`,
    }, missing.map((n) => ({ pointer: `/data/${n}`, code: 'required', message: t(lang, { 'zh-CN': `缺少占位符 ${n} 的值`, en: `No value for placeholder ${n}` }) })));
  }
  let text = body.text;
  if (channel === 'sms' && Array.from(text).length > SMS_MAX) text = `${Array.from(text).slice(0, SMS_MAX - 1).join('')}…`;
  return { key: tpl.key, version: tpl.version, division: tpl.division, category: tpl.category, lang, subject: subject.text, body: text };
}

/** Same content (ignoring version bookkeeping): used to keep built-in templates idempotent. */
export function sameContent(a: TemplateDefinition, b: TemplateDefinition): boolean {
  const norm = (d: TemplateDefinition) => JSON.stringify([d.category, [...d.channels].sort(), [...d.placeholders].sort(), d.subject['zh-CN'], d.subject.en, d.body['zh-CN'], d.body.en, d.smsBody?.['zh-CN'] ?? null, d.smsBody?.en ?? null]);
  return norm(a) === norm(b);
}
