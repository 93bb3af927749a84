// Per-person notification settings: SMS and e-mail on or off, categories muted, and the language
// messages are written in. The in-app inbox is always on (it is the record of what was sent, and
// interrupts nobody); security messages (sign-in codes) ignore every switch. A muted category or
// channel means no SMS/e-mail for it — the inbox copy is still written.
import type { Core } from '../../core/index.js';
import type { Executor } from '../../core/db/types.js';
import { recordChange } from '../../core/audit/record.js';
import { AppError, type FieldError, type Lang } from '../../core/http/errors.js';
import { t, type Self } from './access.js';
import type { Category, Channel } from './tables.js';

export const SWITCHABLE_CATEGORIES = ['case-status', 'task', 'reminder'] as const;

export interface Preferences {
  channels: { sms: boolean; email: boolean; inbox: true };
  categories: Record<Category, boolean>;
  /** Language of messages; null = the sender's choice (zh-CN by default). */
  lang: Lang | null;
  /** What cannot be switched off. */
  locked: { channels: Channel[]; categories: Category[] };
}

export interface PreferencesInput {
  channels?: { sms?: boolean; email?: boolean; inbox?: boolean };
  categories?: Partial<Record<Category, boolean>>;
  lang?: Lang | null;
}

interface Stored {
  sms: boolean;
  email: boolean;
  muted: string[];
  lang: Lang | null;
}

const DEFAULTS: Stored = { sms: true, email: true, muted: [], lang: null };

export async function storedPreferences(ex: Executor, accountId: string): Promise<Stored> {
  const r = await ex.selectFrom('notify_preference').select(['sms', 'email', 'muted_categories', 'lang']).where('account_id', '=', accountId).executeTakeFirst();
  return r ? { sms: r.sms, email: r.email, muted: r.muted_categories, lang: r.lang } : DEFAULTS;
}

function view(s: Stored): Preferences {
  const categories = { security: true } as Record<Category, boolean>;
  for (const c of SWITCHABLE_CATEGORIES) categories[c] = !s.muted.includes(c);
  return { channels: { sms: s.sms, email: s.email, inbox: true }, categories, lang: s.lang, locked: { channels: ['inbox'], categories: ['security'] } };
}

/** May a message of `category` go out on `channel` to a person with these settings? */
export function allows(s: Stored, channel: Channel, category: Category): boolean {
  if (channel === 'inbox' || category === 'security') return true;
  if (!s[channel]) return false;
  return !s.muted.includes(category);
}

export async function getPreferences(core: Core, self: Self): Promise<Preferences> {
  return view(await storedPreferences(core.db, self.accountId));
}

const LOCKED = { 'zh-CN': '此项不能关闭', en: 'This cannot be switched off' };

/** Changes the signed-in person's settings (fields not given stay as they were). */
export async function updatePreferences(core: Core, self: Self, input: PreferencesInput): Promise<Preferences> {
  const errors: FieldError[] = [];
  if (input.channels?.inbox === false) errors.push({ pointer: '/body/channels/inbox', code: 'locked', message: t(self.lang, { 'zh-CN': '站内消息不能关闭：它是发给您的所有通知的记录', en: 'The inbox cannot be switched off: it is the record of everything sent to you' }) });
  if (input.categories?.security === false) errors.push({ pointer: '/body/categories/security', code: 'locked', message: t(self.lang, { 'zh-CN': '安全类消息（如登录验证码）不能关闭', en: 'Security messages (such as sign-in codes) cannot be switched off' }) });
  if (errors.length) throw new AppError('VALIDATION_FAILED', LOCKED, errors);
  return core.db.transaction().execute(async (tx) => {
    const before = await storedPreferences(tx, self.accountId);
    const muted = new Set(before.muted);
    for (const c of SWITCHABLE_CATEGORIES) {
      const v = input.categories?.[c];
      if (v === true) muted.delete(c);
      if (v === false) muted.add(c);
    }
    const after: Stored = {
      sms: input.channels?.sms ?? before.sms,
      email: input.channels?.email ?? before.email,
      muted: SWITCHABLE_CATEGORIES.filter((c) => muted.has(c)),
      lang: input.lang === undefined ? before.lang : input.lang,
    };
    const values = { sms: after.sms, email: after.email, muted_categories: after.muted, lang: after.lang, updated_at: core.clock.now() };
    await tx.insertInto('notify_preference').values({ account_id: self.accountId, ...values })
      .onConflict((oc) => oc.column('account_id').doUpdateSet(values)).execute();
    await recordChange(tx, self.actor, { action: 'notify.preferences.update', object: { type: 'account', id: self.accountId }, detail: { before: { ...before }, after: { ...after } } },
      { type: 'notify.preferences.updated', payload: { accountId: self.accountId, sms: after.sms, email: after.email, muted: after.muted, lang: after.lang } });
    return view(after);
  });
}
