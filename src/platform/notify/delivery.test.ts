import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { SMTPServer } from 'smtp-server';
import { devAdapter, registerAdapter, type OutgoingMessage } from './adapters.js';
import { notify, queueSms, SEND_MAX_ATTEMPTS, sendBackoffMs } from './send.js';
import { appWith, auditActions, bearer, events, rows, staff, staffAccount, type T } from './test-kit.js';

let t: T;
let smtp: SMTPServer;
let wang: string;
const received: Array<{ rcptTo: string[]; mailFrom: string; raw: string }> = [];

/** Just enough MIME for what nodemailer writes: folded headers, RFC 2047 words, QP or base64 text. */
function parseMail(raw: string): { headers: Record<string, string>; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const headers: Record<string, string> = {};
  for (const line of raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  const words = (v: string) => v.replace(/=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_m, enc: string, data: string) =>
    enc.toLowerCase() === 'b' ? Buffer.from(data, 'base64').toString('utf8') : qp(data.replace(/_/g, ' '))).trim();
  const qp = (v: string) => Buffer.from(v.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
  for (const k of Object.keys(headers)) headers[k] = words(headers[k]!);
  const body = raw.slice(split + 4);
  const cte = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  const text = cte === 'base64' ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8') : cte === 'quoted-printable' ? qp(body) : body;
  return { headers, text: text.replace(/\r\n$/, '') };
}

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({ rcptTo: session.envelope.rcptTo.map((r) => r.address), mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  // registerNotify reads SMTP_URL from the environment when the app is built.
  process.env.SMTP_URL = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}?from=noreply@yunling.test`;
  t = await appWith({
    ops: staff('user:ops', ['core:ops.read'], '530000'),
    qjops: staff('user:qj-ops', ['core:ops.read'], '530300'),
    clerk: staff('user:clerk', ['workflow:task.read'], '530102'),
  });
  delete process.env.SMTP_URL;
  wang = await staffAccount(t, { name: '王小明', mobile: '13900001111' });
});
afterAll(async () => {
  await t.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

const send = (input: Parameters<typeof notify>[2]) => t.core.db.transaction().execute((tx) => notify(t.core, tx, input));
const outbox = (who: string, query = '') => t.app.inject({ url: `/api/admin/notifications${query}`, headers: bearer(who) });
const caseData = { caseNumber: 'YN530102-20261126-000042', itemName: '设立登记', status: '已办结' };

describe('delivery', () => {
  it('sends e-mail through a real SMTP server (SMTP_URL) and SMS through the dev adapter; both are recorded as sent', async () => {
    const mail = await send({ to: { email: 'zhang.san@example.gov.cn' }, template: 'services.case-status-changed', data: caseData, purpose: 'case:42' });
    const sms = await send({ to: wang, template: 'services.case-status-changed', data: caseData, purpose: 'case:42', channels: ['sms'] });
    expect(await t.core.jobs.runDue()).toBe(2);

    expect(received).toHaveLength(1);
    const m = received[0]!;
    expect(m.rcptTo).toEqual(['zhang.san@example.gov.cn']);
    expect(m.mailFrom).toBe('noreply@yunling.test');
    const { headers, text } = parseMail(m.raw);
    expect(headers.subject).toBe('办件进度：设立登记');
    expect(headers.to).toBe('zhang.san@example.gov.cn');
    expect(headers['x-yunling-purpose']).toBe('case:42');
    expect(text).toBe('您申请的「设立登记」（办件编号 YN530102-20261126-000042）状态已更新为：已办结。');

    const [e] = await rows(t, sql`id = ${mail.queued[0]!.id}`);
    expect(e).toMatchObject({ status: 'sent', adapter: 'smtp', attempts: 1, last_error: null });
    expect(e.sent_at).not.toBeNull();
    expect((await rows(t, sql`id = ${sms.queued[0]!.id}`))[0]).toMatchObject({ status: 'sent', adapter: 'dev', attempts: 1 });
    expect(await auditActions(t, 'notify.message.')).toEqual(['notify.message.send', 'notify.message.send']);
    expect((await events(t, 'notify.message.sent')).map((x) => x.payload.adapter).sort()).toEqual(['dev', 'smtp']);
  });

  it('retries a failing gateway with backoff, then marks the message failed with the last error', async () => {
    let calls = 0;
    registerAdapter(t.core, { name: 'flaky-gateway', channels: ['sms'], send: async () => { calls += 1; throw new Error(`gateway 503 (try ${calls}) for 13900001111`); } }, { use: true });
    const r = await send({ to: wang, template: 'workflow.task-overdue', data: { caseNumber: 'C-7', title: '设立登记', state: '审核', dueAt: '2026-11-25' }, purpose: 'retry-test', channels: ['sms'] });
    const id = r.queued[0]!.id;
    await t.core.jobs.runDue();
    expect((await rows(t, sql`id = ${id}`))[0]).toMatchObject({ status: 'queued', attempts: 1, adapter: 'flaky-gateway', last_error: 'gateway 503 (try 1) for 139****1111' });
    // Not due again until its backoff has passed.
    t.clock.advance(sendBackoffMs(1) - 1000);
    expect(await t.core.jobs.runDue()).toBe(0);
    for (let attempt = 2; attempt <= SEND_MAX_ATTEMPTS; attempt++) {
      t.clock.advance(sendBackoffMs(attempt - 1));
      expect(await t.core.jobs.runDue()).toBe(1);
    }
    expect(calls).toBe(SEND_MAX_ATTEMPTS);
    const [failed] = await rows(t, sql`id = ${id}`);
    expect(failed).toMatchObject({ status: 'failed', attempts: SEND_MAX_ATTEMPTS, last_error: `gateway 503 (try ${SEND_MAX_ATTEMPTS}) for 139****1111`, sent_at: null });
    t.clock.advance(3_600_000 * 24);
    expect(await t.core.jobs.runDue()).toBe(0);
    expect(calls).toBe(SEND_MAX_ATTEMPTS);
    expect(await auditActions(t, 'notify.message.fail')).toEqual(['notify.message.fail']);
    expect((await events(t, 'notify.message.failed'))[0]!.payload).toMatchObject({ id, adapter: 'flaky-gateway', attempts: SEND_MAX_ATTEMPTS, templateKey: 'workflow.task-overdue' });
  });

  it('hands a gateway the clear number and text, and the outbox hides sign-in codes a real gateway delivered', async () => {
    const delivered: OutgoingMessage[] = [];
    registerAdapter(t.core, { name: 'sms-gw', channels: ['sms'], send: async (m) => { delivered.push(m); } }, { use: true });
    const viaGateway = await t.core.db.transaction().execute((tx) => queueSms(t.core, tx, '13900001111', 'identity.signin-code', '【云岭】您的登录验证码为 482913，5 分钟内有效。'));
    await t.core.jobs.runDue();
    expect(delivered.map((m) => [m.to, m.body])).toEqual([['13900001111', '【云岭】您的登录验证码为 482913，5 分钟内有效。']]);
    registerAdapter(t.core, { ...devAdapter, channels: ['sms'] }, { use: true });
    const viaDev = await t.core.db.transaction().execute((tx) => queueSms(t.core, tx, '13900001111', 'identity.signin-code', '【云岭】您的登录验证码为 777111，5 分钟内有效。'));
    await t.core.jobs.runDue();
    const items = (await outbox('ops', '?channel=sms')).json().items as any[];
    expect(items.find((i) => i.id === viaGateway).body).toBe('【云岭】您的登录验证码为 ******，5 分钟内有效。');
    expect(items.find((i) => i.id === viaDev).body).toBe('【云岭】您的登录验证码为 777111，5 分钟内有效。');
  });
});

describe('admin outbox', () => {
  it('filters by channel, status and template, and shows the template and delivery state', async () => {
    const email = (await outbox('ops', '?channel=email')).json();
    expect(email.total).toBe(1);
    expect(email.items[0]).toMatchObject({ channel: 'email', recipient: 'z***@example.gov.cn', status: 'sent', adapter: 'smtp', templateKey: 'services.case-status-changed', templateVersion: 1, subject: '办件进度：设立登记', attempts: 1, lastError: null });
    const failed = (await outbox('ops', '?status=failed')).json();
    expect(failed.items.map((i: any) => [i.templateKey, i.recipient, i.attempts])).toEqual([['workflow.task-overdue', '139****1111', SEND_MAX_ATTEMPTS]]);
    expect(failed.items[0].lastError).toContain('139****1111');
    const byTemplate = (await outbox('ops', '?templateKey=services.case-status-changed')).json();
    expect(byTemplate.items.map((i: any) => i.channel).sort()).toEqual(['email', 'sms']);
    const page = (await outbox('ops', '?limit=2')).json();
    expect(page.items).toHaveLength(2);
    expect(page.total).toBeGreaterThan(2);
    expect((await outbox('ops', '?status=lost&channel=fax')).json().errors.map((e: any) => e.pointer).sort()).toEqual(['/query/channel', '/query/status']);
  });

  it('shows each operator only the divisions they hold core:ops.read in', async () => {
    expect((await outbox('qjops')).json()).toEqual({ items: [], total: 0 });
    await send({ to: { mobile: '13700003333' }, template: 'services.case-status-changed', data: caseData, purpose: 'qj-case', division: '530302' });
    const qj = (await outbox('qjops')).json();
    expect(qj.items.map((i: any) => [i.purpose, i.division])).toEqual([['qj-case', '530302']]);
    expect((await outbox('ops')).json().items.map((i: any) => i.purpose)).toContain('qj-case');
    expect((await outbox('clerk')).statusCode).toBe(403);
  });
});
