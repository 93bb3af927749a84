// Sending: notify() renders a template for a person (or a bare mobile / e-mail address) and, in the
// CALLER's transaction, writes one notification row per channel and schedules the send job — so a
// message exists if and only if the business change that caused it commits. Recipients are stored
// encrypted and shown masked; bodies are scrubbed (see scrub.ts). In-app messages are delivered by
// being written. The job hands SMS and e-mail to the channel's adapter, retries with backoff, and
// after the last attempt marks the row failed with the gateway's last error.
import type { Core } from '../../core/index.js';
import type { Executor } from '../../core/db/types.js';
import { emit, recordChange, type Actor } from '../../core/audit/record.js';
import { errorMessage } from '../../core/jobs/index.js';
import { AppError, type Lang } from '../../core/http/errors.js';
import { maskMobile, maskName, validateMobile } from '../../core/validators/index.js';
import { revealField } from '../identity/accounts.js';
import { adapterFor, type ExternalChannel } from './adapters.js';
import { allows, storedPreferences } from './preferences.js';
import { maskEmail, scrubMessage } from './scrub.js';
import { effectiveTemplate } from './template-store.js';
import { renderVersion, type TemplateData } from './templates.js';
import type { Category, Channel } from './tables.js';
import '../identity/tables.js';

const AAD = Buffer.from('notification.recipient');
export const SEND_JOB = 'notify.send';
export const SEND_MAX_ATTEMPTS = 6;
/** 30 s, 1 min, 2 min, 4 min, 8 min: a gateway outage of a quarter of an hour is ridden out. */
export const sendBackoffMs = (attempt: number) => Math.min(30_000 * 2 ** (attempt - 1), 3_600_000);
const SYSTEM: Actor = { id: 'system:notify' };

export type Recipient = string | { accountId: string } | { mobile: string } | { email: string };

export interface NotifyInput {
  /** An account id (or `{accountId}`), or a bare `{mobile}` / `{email}` for someone without one. */
  to: Recipient;
  template: string;
  data: TemplateData;
  /** Language; default the person's preference, else zh-CN. */
  lang?: Lang;
  /** Why the message is sent (the case or the legal basis), kept with the row. */
  purpose: string;
  /** A subset of the template's channels; default all of them. */
  channels?: Channel[];
  /**
   * The division of the case: picks a local template override and scopes the admin outbox.
   * Default: the recipient account's division (none for a bare number or address).
   */
  division?: string | null;
}

export type SkipReason = 'preference' | 'no-contact' | 'no-account' | 'inactive';

export interface NotifyResult {
  queued: Array<{ id: string; channel: Channel }>;
  skipped: Array<{ channel: Channel; reason: SkipReason }>;
}

interface Person {
  accountId: string | null;
  name: string | null;
  division: string | null;
  active: boolean;
  mobile: string | null;
  email: string | null;
}

async function resolvePerson(core: Core, ex: Executor, to: Recipient): Promise<Person> {
  if (typeof to === 'string' || 'accountId' in to) {
    const id = typeof to === 'string' ? to : to.accountId;
    const a = await ex.selectFrom('account').select(['id', 'name', 'division', 'status', 'mobile_enc']).where('id', '=', id).executeTakeFirst();
    if (!a) throw new AppError('NOT_FOUND', { 'zh-CN': '收件人账号不存在', en: 'No such recipient account' });
    // Accounts have no e-mail address yet (identity keeps only a mobile); e-mail to an account is skipped as no-contact.
    return { accountId: a.id, name: a.name, division: a.division, active: a.status === 'active', mobile: revealField(core, a.mobile_enc, 'mobile'), email: null };
  }
  if ('mobile' in to) {
    const m = validateMobile(to.mobile);
    if (!m.ok) throw new AppError('VALIDATION_FAILED', m.message, [{ pointer: '/to/mobile', code: m.reason, message: m.message['zh-CN'] }]);
    return { accountId: null, name: null, division: null, active: true, mobile: m.value, email: null };
  }
  const email = to.email.trim();
  if (!/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(email)) throw new AppError('VALIDATION_FAILED', { 'zh-CN': '电子邮箱地址不正确', en: 'Not an e-mail address' }, [{ pointer: '/to/email', code: 'format', message: '电子邮箱地址不正确' }]);
  return { accountId: null, name: null, division: null, active: true, mobile: null, email };
}

interface Row {
  channel: Channel;
  to: string;
  masked: string;
  accountId: string | null;
  division: string | null;
  category: Category | null;
  purpose: string;
  subject: string | null;
  body: string;
  templateKey: string | null;
  templateVersion: number | null;
  lang: Lang | null;
}

async function writeRow(core: Core, ex: Executor, r: Row): Promise<string> {
  const inbox = r.channel === 'inbox';
  const row = await ex.insertInto('notification').values({
    channel: r.channel, recipient_enc: core.crypto.encrypt(core.keys.field, r.to, AAD), recipient_masked: r.masked, purpose: r.purpose,
    subject: r.subject, body: r.body, account_id: r.accountId, division: r.division, category: r.category, template_key: r.templateKey,
    template_version: r.templateVersion, lang: r.lang, created_at: core.clock.now(),
    ...(inbox ? { status: 'sent' as const, adapter: 'inbox', sent_at: core.clock.now() } : {}),
  }).returning('id').executeTakeFirstOrThrow();
  if (inbox) {
    // Lets other nodes and open browser tabs update the unread badge; carries no content.
    await emit(ex, null, { type: 'notify.inbox.received', aggregate: { type: 'account', id: r.accountId! }, division: r.division, payload: { accountId: r.accountId, id: row.id } });
  } else {
    await core.jobs.schedule(ex, SEND_JOB, { id: row.id }, { inMs: 0 }, { division: r.division });
  }
  return row.id;
}

/** Sends a template to one recipient on each allowed channel, inside the caller's transaction `ex`. */
export async function notify(core: Core, ex: Executor, input: NotifyInput): Promise<NotifyResult> {
  const person = await resolvePerson(core, ex, input.to);
  const division = input.division ?? person.division;
  const tpl = await effectiveTemplate(ex, input.template, { division });
  const wanted = input.channels ?? tpl.channels;
  const unknown = wanted.filter((c) => !tpl.channels.includes(c));
  if (unknown.length) {
    throw new AppError('VALIDATION_FAILED', { 'zh-CN': `消息模板 ${tpl.key} 不支持渠道：${unknown.join('、')}`, en: `Template ${tpl.key} has no channel ${unknown.join(', ')}` },
      unknown.map((c) => ({ pointer: `/channels/${wanted.indexOf(c)}`, code: 'channel', message: `模板不支持渠道 ${c}` })));
  }
  const prefs = person.accountId ? await storedPreferences(ex, person.accountId) : null;
  const lang: Lang = input.lang ?? prefs?.lang ?? 'zh-CN';
  const result: NotifyResult = { queued: [], skipped: [] };
  for (const channel of [...new Set(wanted)]) {
    let to: string | null = null;
    let masked = '';
    if (channel === 'inbox') {
      if (!person.accountId) { result.skipped.push({ channel, reason: 'no-account' }); continue; }
      to = person.accountId;
      masked = maskName(person.name ?? '');
    } else {
      if (!person.active) { result.skipped.push({ channel, reason: 'inactive' }); continue; }
      if (prefs && !allows(prefs, channel, tpl.category)) { result.skipped.push({ channel, reason: 'preference' }); continue; }
      to = channel === 'sms' ? person.mobile : person.email;
      if (!to) { result.skipped.push({ channel, reason: 'no-contact' }); continue; }
      masked = channel === 'sms' ? maskMobile(to) : maskEmail(to);
    }
    const m = renderVersion(tpl, input.data, lang, channel);
    const id = await writeRow(core, ex, {
      channel, to, masked, accountId: person.accountId, division, category: tpl.category, purpose: input.purpose,
      subject: scrubMessage(m.subject, person.mobile), body: scrubMessage(m.body, person.mobile), templateKey: tpl.key, templateVersion: tpl.version, lang,
    });
    result.queued.push({ id, channel });
  }
  return result;
}

/**
 * A ready-made SMS without a template (identity's sign-in codes use it): a security message, so
 * no preference stops it. Kept for its callers; new code should use notify() with a template.
 */
export async function queueSms(core: Core, ex: Executor, mobile: string, purpose: string, body: string): Promise<string> {
  const m = validateMobile(mobile);
  const to = m.ok ? m.value : mobile;
  return writeRow(core, ex, {
    channel: 'sms', to, masked: maskMobile(to), accountId: null, division: null, category: 'security', purpose,
    subject: null, body: scrubMessage(body, to), templateKey: null, templateVersion: null, lang: null,
  });
}

async function recordOutcome(core: Core, id: string, outcome: { sent: true; adapter: string; attempts: number } | { sent: false; adapter: string; attempts: number; error: string; final: boolean }): Promise<void> {
  await core.db.transaction().execute(async (tx) => {
    const now = core.clock.now();
    const base = tx.updateTable('notification').where('id', '=', id).where('status', '=', 'queued');
    const row = outcome.sent
      ? await base.set({ status: 'sent', adapter: outcome.adapter, sent_at: now, attempts: outcome.attempts, last_error: null }).returning(['channel', 'division', 'template_key']).executeTakeFirst()
      : await base.set({ status: outcome.final ? 'failed' : 'queued', adapter: outcome.adapter, attempts: outcome.attempts, last_error: outcome.error }).returning(['channel', 'division', 'template_key']).executeTakeFirst();
    // Delivery and final failure are the facts an office may have to prove (送达); retries are not.
    if (!row || (!outcome.sent && !outcome.final)) return;
    const verb = outcome.sent ? 'sent' : 'failed';
    await recordChange(tx, SYSTEM, { action: `notify.message.${verb === 'sent' ? 'send' : 'fail'}`, object: { type: 'notification', id }, division: row.division, detail: { channel: row.channel, adapter: outcome.adapter, attempts: outcome.attempts, templateKey: row.template_key } },
      { type: `notify.message.${verb}`, payload: { id, channel: row.channel, adapter: outcome.adapter, attempts: outcome.attempts, templateKey: row.template_key } });
  });
}

export function defineSendJob(core: Core): void {
  core.jobs.define(SEND_JOB, {
    maxAttempts: SEND_MAX_ATTEMPTS,
    backoffMs: sendBackoffMs,
    leaseMs: 2 * 60_000,
    handler: async (job) => {
      const id = (job.payload as { id: string }).id;
      const row = await core.db.selectFrom('notification').select(['id', 'channel', 'recipient_enc', 'subject', 'body', 'purpose', 'status']).where('id', '=', id).executeTakeFirst();
      if (!row || row.status !== 'queued') return;
      if (row.channel === 'inbox') {
        await recordOutcome(core, id, { sent: true, adapter: 'inbox', attempts: job.attempts });
        return;
      }
      const channel = row.channel as ExternalChannel;
      const adapter = adapterFor(core, channel);
      const to = core.crypto.decrypt(core.keys.field, row.recipient_enc, AAD).toString('utf8');
      try {
        await adapter.send({ id, channel, to, subject: row.subject, body: row.body, purpose: row.purpose }, job.signal);
      } catch (err) {
        await recordOutcome(core, id, { sent: false, adapter: adapter.name, attempts: job.attempts, error: scrubMessage(errorMessage(err, 1000)), final: job.attempts >= job.maxAttempts });
        throw err;
      }
      // Sent but not recorded (the database went away) → the job retries and the message may go
      // twice; at-least-once is the right side to err on for official notices.
      await recordOutcome(core, id, { sent: true, adapter: adapter.name, attempts: job.attempts });
    },
  });
}
