import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createSession, CSRF_COOKIE, SESSION_COOKIE } from '../identity/sessions.js';
import { notify, queueSms } from './send.js';
import { appWith, auditActions, bearer, events, idNumberWithX, person, rows, staffAccount, type T } from './test-kit.js';

let t: T;
let wang: string;
let li: string;
let nomobile: string;

beforeAll(async () => {
  t = await appWith({});
  wang = await staffAccount(t, { name: '王小明', mobile: '13900001111' });
  li = await staffAccount(t, { name: '李四', mobile: '13900002222' });
  nomobile = await staffAccount(t, { name: '赵六' });
  t.app.authenticators.push(async (r) => {
    const m = /^Person (\S+)$/.exec(r.headers.authorization ?? '');
    return m ? person(m[1]!) : null;
  });
});
afterAll(() => t.close());

const send = (input: Parameters<typeof notify>[2]) => t.core.db.transaction().execute((tx) => notify(t.core, tx, input));
const taskData = { caseNumber: 'YN530102-20261126-000007', title: '个体工商户设立登记', state: '审核', dueAt: '2026-12-01 17:00' };
const as = (id: string) => ({ authorization: `Person ${id}` });

describe('notify()', () => {
  it('writes an inbox message and an SMS (recipient encrypted and masked) and schedules the send job', async () => {
    const r = await send({ to: wang, template: 'workflow.task-assigned', data: taskData, purpose: 'workflow:test-1' });
    expect(r.queued.map((q) => q.channel)).toEqual(['inbox', 'sms']);
    expect(r.skipped).toEqual([]);
    const [inbox, sms] = await rows(t, sql`purpose = 'workflow:test-1'`);
    expect(inbox).toMatchObject({ channel: 'inbox', account_id: wang, status: 'sent', recipient_masked: '王**', template_key: 'workflow.task-assigned', template_version: 1, category: 'task', lang: 'zh-CN', division: '530102', subject: '新待办：个体工商户设立登记' });
    expect(sms).toMatchObject({ channel: 'sms', account_id: wang, status: 'queued', recipient_masked: '139****1111' });
    expect(sms.body).toBe('【云岭】您有新的待办：办件 YN530102-20261126-000007「个体工商户设立登记」（审核），请于 2026-12-01 17:00 前办理。');
    expect(Buffer.from(sms.recipient_enc).includes(Buffer.from('13900001111'))).toBe(false);
    const jobs = (await sql<any>`SELECT payload FROM job WHERE name = 'notify.send' AND status = 'pending'`.execute(t.core.db)).rows;
    expect(jobs.map((j) => j.payload.id)).toContain(sms.id);
    expect(jobs.map((j) => j.payload.id)).not.toContain(inbox.id);
    expect((await events(t, 'notify.inbox.received')).map((e) => e.payload.id)).toContain(inbox.id);
  });

  it('writes nothing when the caller\'s transaction rolls back', async () => {
    await expect(t.core.db.transaction().execute(async (tx) => {
      await notify(t.core, tx, { to: wang, template: 'workflow.task-assigned', data: taskData, purpose: 'workflow:rolled-back' });
      throw new Error('the business change failed');
    })).rejects.toThrow('the business change failed');
    expect(await rows(t, sql`purpose = 'workflow:rolled-back'`)).toEqual([]);
  });

  it('fails clearly on a missing placeholder value, an unknown template or a channel the template lacks', async () => {
    await expect(send({ to: wang, template: 'workflow.task-assigned', data: { caseNumber: 'x' }, purpose: 'p' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ pointer: '/data/title' }, { pointer: '/data/state' }, { pointer: '/data/dueAt' }] });
    await expect(send({ to: wang, template: 'workflow.no-such', data: {}, purpose: 'p' })).rejects.toMatchObject({ code: 'DEFINITION_INVALID' });
    await expect(send({ to: wang, template: 'identity.signin-code', data: { code: '1', minutes: 5 }, purpose: 'p', channels: ['email'] })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ pointer: '/channels/0', code: 'channel' }] });
  });

  it('skips what cannot be delivered: no mobile, no e-mail on accounts, no inbox for a bare number', async () => {
    const r = await send({ to: { accountId: nomobile }, template: 'services.case-accepted', data: { caseNumber: 'C1', itemName: '登记', deadline: '2026-12-01' }, purpose: 'p-skip' });
    expect(r.queued.map((q) => q.channel)).toEqual(['inbox']);
    expect(r.skipped).toEqual([{ channel: 'sms', reason: 'no-contact' }, { channel: 'email', reason: 'no-contact' }]);
    const bare = await send({ to: { mobile: '+86 137-0000-9999' }, template: 'services.case-accepted', data: { caseNumber: 'C1', itemName: '登记', deadline: '2026-12-01' }, purpose: 'p-bare' });
    expect(bare.queued.map((q) => q.channel)).toEqual(['sms']);
    expect(bare.skipped).toEqual([{ channel: 'inbox', reason: 'no-account' }, { channel: 'email', reason: 'no-contact' }]);
    expect((await rows(t, sql`purpose = 'p-bare'`))[0]).toMatchObject({ recipient_masked: '137****9999', account_id: null, division: null });
    const mail = await send({ to: { email: 'zhang.san@example.gov.cn' }, template: 'services.case-accepted', data: { caseNumber: 'C1', itemName: '登记', deadline: '2026-12-01' }, purpose: 'p-mail', lang: 'en' });
    expect(mail.queued.map((q) => q.channel)).toEqual(['email']);
    expect((await rows(t, sql`purpose = 'p-mail'`))[0]).toMatchObject({ recipient_masked: 'z***@example.gov.cn', subject: 'Accepted: 登记', lang: 'en' });
  });

  it('never puts a full ID number or another person\'s mobile into a message; the recipient\'s own number stays', async () => {
    const id = idNumberWithX();
    const masked = `${id.slice(0, 4)}**********${id.slice(-4)}`;
    await send({ to: wang, template: 'services.correction-requested', data: { caseNumber: 'C9', itemName: '社保登记', reason: `申请人 ${id} 的身份证复印件不清晰，请联系经办人 13812345678 或本机 13900001111`, deadline: '2026-12-10' }, purpose: 'p-scrub' });
    const sent = await rows(t, sql`purpose = 'p-scrub'`);
    expect(sent.map((r: any) => r.channel)).toEqual(['inbox', 'sms']);
    for (const r of sent) {
      expect(r.body).not.toContain(id);
      expect(r.body).not.toContain(id.slice(0, 17));
      expect(r.body).toContain(`申请人 ${masked} 的身份证复印件`);
      expect(r.body).toContain('经办人 138****5678 或本机 13900001111');
    }
    const code = await t.core.db.transaction().execute((tx) => queueSms(t.core, tx, '13900002222', 'identity.signin-code', `验证码 123456，核对证件 ${id}`));
    expect((await rows(t, sql`id = ${code}`))[0]).toMatchObject({ body: `验证码 123456，核对证件 ${masked}`, category: 'security', status: 'queued' });
  });
});

describe('preferences', () => {
  it('defaults to everything on, with the inbox and security locked on', async () => {
    const r = await t.app.inject({ url: '/api/notify/preferences', headers: as(li) });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({
      channels: { sms: true, email: true, inbox: true }, categories: { 'case-status': true, task: true, reminder: true, security: true },
      lang: null, locked: { channels: ['inbox'], categories: ['security'] },
    });
  });

  it('are honoured: a muted category or channel sends no SMS, the inbox copy still arrives, in the chosen language', async () => {
    const put = await t.app.inject({ method: 'PUT', url: '/api/notify/preferences', headers: as(li), payload: { categories: { reminder: false }, lang: 'en' } });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ channels: { sms: true }, categories: { reminder: false, task: true }, lang: 'en' });
    const reminder = await send({ to: li, template: 'workflow.task-reminder', data: taskData, purpose: 'p-pref-1' });
    expect(reminder.queued.map((q) => q.channel)).toEqual(['inbox']);
    expect(reminder.skipped).toEqual([{ channel: 'sms', reason: 'preference' }]);
    expect((await rows(t, sql`purpose = 'p-pref-1'`))[0]).toMatchObject({ lang: 'en', subject: 'Due soon: 个体工商户设立登记' });
    expect((await send({ to: li, template: 'workflow.task-assigned', data: taskData, purpose: 'p-pref-2' })).queued.map((q) => q.channel)).toEqual(['inbox', 'sms']);

    await t.app.inject({ method: 'PUT', url: '/api/notify/preferences', headers: as(li), payload: { channels: { sms: false } } });
    const assigned = await send({ to: li, template: 'workflow.task-assigned', data: taskData, purpose: 'p-pref-3', lang: 'zh-CN' });
    expect(assigned.skipped).toEqual([{ channel: 'sms', reason: 'preference' }]);
    expect((await rows(t, sql`purpose = 'p-pref-3'`))[0]).toMatchObject({ lang: 'zh-CN' });
    expect(await auditActions(t, 'notify.preferences.update')).toHaveLength(2);
    expect((await events(t, 'notify.preferences.updated')).at(-1)!.payload).toMatchObject({ accountId: li, sms: false, muted: ['reminder'] });
  });

  it('cannot switch off security messages: they go out with SMS off, and turning them off is refused', async () => {
    const code = await send({ to: li, template: 'identity.signin-code', data: { code: '654321', minutes: 5 }, purpose: 'p-sec', lang: 'zh-CN' });
    expect(code.queued.map((q) => q.channel)).toEqual(['sms']);
    const r = await t.app.inject({ method: 'PUT', url: '/api/notify/preferences', headers: as(li), payload: { categories: { security: false, task: false }, channels: { inbox: false } } });
    expect(r.statusCode).toBe(400);
    expect(r.json().errors).toEqual([
      { pointer: '/body/channels/inbox', code: 'locked', message: '站内消息不能关闭：它是发给您的所有通知的记录' },
      { pointer: '/body/categories/security', code: 'locked', message: '安全类消息（如登录验证码）不能关闭' },
    ]);
    // Nothing of the refused request was applied (task stays on).
    expect((await t.app.inject({ url: '/api/notify/preferences', headers: as(li) })).json().categories.task).toBe(true);
    const bad = await t.app.inject({ method: 'PUT', url: '/api/notify/preferences', headers: as(li), payload: { categories: { marketing: false }, lang: 'fr' } });
    expect(bad.json().errors.map((e: any) => e.pointer).sort()).toEqual(['/body/categories/marketing', '/body/lang']);
  });

  it('need a signed-in person, and a browser session must send its CSRF token', async () => {
    expect((await t.app.inject({ url: '/api/notify/preferences' })).statusCode).toBe(401);
    const s = await createSession(t.core, wang, { mfa: false });
    const cookie = `${SESSION_COOKIE}=${s.token}; ${CSRF_COOKIE}=${s.csrfToken}`;
    const forged = await t.app.inject({ method: 'PUT', url: '/api/notify/preferences', headers: { cookie }, payload: { channels: { email: false } } });
    expect(forged.statusCode).toBe(403);
    expect(forged.json().code).toBe('CSRF_FAILED');
    const ok = await t.app.inject({ method: 'PUT', url: '/api/notify/preferences', headers: { cookie, 'x-csrf-token': s.csrfToken }, payload: { channels: { email: false } } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().channels).toEqual({ sms: true, email: false, inbox: true });
    expect((await t.app.inject({ url: '/api/notify/preferences', headers: bearer('nobody') })).statusCode).toBe(401);
  });
});
