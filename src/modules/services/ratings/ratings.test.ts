// Ratings on every channel: invitations from the applications contract's event, the SMS link
// (signed, expiring, single use), the portal, the hall tablet and the hotline; bad input; scoping.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRatingsWorld, type RatingsWorld } from './test-world.js';
import { signLinkToken } from './token.js';

let w: RatingsWorld;
beforeAll(async () => { w = await makeRatingsWorld(); });
afterAll(async () => { await w?.close(); });

describe('invitations', () => {
  it('a completed application invites its applicant once, with an SMS link; redelivery adds nothing; a withdrawn one is not invited', async () => {
    const app = await w.completeApplication();
    const inv = await w.invitationOf(app.id);
    expect(inv).toMatchObject({ case_number: app.number, item_name: '企业设立登记', department_code: 'WH-SCJG', applicant: `user:${w.ids.citizen}`, rated_at: null });
    // 30 days by default (RATINGS_LINK_DAYS).
    expect(new Date(inv!.expires_at).getTime() - w.core.clock.now().getTime()).toBe(30 * 86_400_000);
    const { sms } = await w.smsLink(app.number);
    expect(sms.account_id).toBe(w.ids.citizen);
    expect(sms.body).toContain('自愿');
    // The same event delivered again (at-least-once) and a duplicate event for the same application.
    const again = await w.core.db.selectFrom('outbox').select(['id']).where('type', '=', 'services.application.completed').where('aggregate_id', '=', app.id).executeTakeFirstOrThrow();
    await w.core.db.updateTable('outbox').set({ dispatched_at: null }).where('id', '=', again.id).execute();
    await w.dispatch();
    await w.completeApplication({ ...app });
    const count = await w.core.db.selectFrom('svc_rating_invitation').select((eb) => eb.fn.countAll<string>().as('n')).where('application_id', '=', app.id).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
    const sms2 = await w.core.db.selectFrom('notification').select('id').where('template_key', '=', 'services.rating-invitation').where('channel', '=', 'sms').where('body', 'like', `%${app.number}%`).execute();
    expect(sms2).toHaveLength(1);

    const withdrawn = await w.completeApplication({ outcome: 'withdrawn' });
    expect(await w.invitationOf(withdrawn.id)).toBeUndefined();
  });

  it('the applicant sees their invitations on the portal, with the indicator set of how they applied', async () => {
    const counter = await w.completeApplication({ channel: 'counter', itemName: '个体工商户登记' });
    const mine = await w.ok('citizen', 'GET', '/api/services/ratings/invitations/mine');
    const hit = mine.items.find((i: { caseNumber: string }) => i.caseNumber === counter.number);
    expect(hit.serviceType).toBe('offline');
    expect(hit.indicators.map((i: { name: string }) => i.name)).toEqual(['整体满意度', '服务效率', '服务水平', '服务态度']);
    expect(hit.levels.map((l: { name: string }) => l.name)).toEqual(['非常满意', '满意', '基本满意', '不满意', '非常不满意']);
    const other = await w.ok('stranger', 'GET', '/api/services/ratings/invitations/mine');
    expect(other.items).toEqual([]);
  });
});

describe('the SMS link', () => {
  it('opens the rating form without sign-in, takes one rating, and refuses reuse', async () => {
    const app = await w.completeApplication();
    const { token } = await w.smsLink(app.number);
    const form = await w.ok('anon', 'GET', `/api/services/ratings/invitations/by-token?token=${token}`);
    expect(form).toMatchObject({ caseNumber: app.number, serviceType: 'online', rated: false });
    expect(form.indicators.map((i: { code: string }) => i.code)).toEqual(['overall', 'efficiency', 'guide-accuracy', 'convenience', 'usability']);
    const rating = await w.ok('anon', 'POST', '/api/services/ratings/by-token', { token, level: 5, indicators: { efficiency: 5, convenience: 4 }, comment: '办事很快' }, 201);
    expect(rating).toMatchObject({ level: 5, levelName: '非常满意', bad: false, channel: 'sms', mode: 'case', caseNumber: app.number, indicators: { overall: 5, efficiency: 5, convenience: 4 }, rectificationId: null });
    const reuse = await w.call('anon', 'POST', '/api/services/ratings/by-token', { token, level: 1 });
    expect(reuse.statusCode).toBe(409);
    expect(reuse.json().code).toBe('CONFLICT');
    expect((await w.ok('anon', 'GET', `/api/services/ratings/invitations/by-token?token=${token}`)).rated).toBe(true);
    const stored = await w.core.db.selectFrom('svc_rating').select(['level']).where('case_number', '=', app.number).execute();
    expect(stored).toEqual([{ level: 5 }]);
  });

  it('two submits of one link at the same moment: exactly one rating, the other 409', async () => {
    const app = await w.completeApplication();
    const { token } = await w.smsLink(app.number);
    const both = await Promise.all([4, 2].map((level) => w.call('anon', 'POST', '/api/services/ratings/by-token', { token, level })));
    expect(both.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(await w.core.db.selectFrom('svc_rating').select('id').where('case_number', '=', app.number).execute()).toHaveLength(1);
  });

  it('a tampered token, a token for another invitation id or the case id alone opens nothing', async () => {
    const app = await w.completeApplication();
    const { token } = await w.smsLink(app.number);
    const [body, mac] = token.split('.');
    const flipped = `${body}.${mac!.slice(0, -2)}${mac!.endsWith('AA') ? 'BB' : 'AA'}`;
    for (const t of [flipped, `${Buffer.from(`${app.id}.9999999999`).toString('base64url')}.${mac}`, `${app.id}.${app.id}`]) {
      const r = await w.call('anon', 'GET', `/api/services/ratings/invitations/by-token?token=${encodeURIComponent(t)}`);
      expect(r.statusCode, t).toBe(404);
      const p = await w.call('anon', 'POST', '/api/services/ratings/by-token', { token: t, level: 4 });
      expect(p.statusCode).toBe(404);
    }
  });

  it('expires: after the validity period the link answers 409 and nothing is written', async () => {
    const app = await w.completeApplication();
    const { token } = await w.smsLink(app.number);
    const inv = await w.invitationOf(app.id);
    // A token signed to expire in the past is refused even though its signature is right.
    const stale = signLinkToken(w.core, inv!.id, new Date(w.core.clock.now().getTime() - 1000));
    const r = await w.call('anon', 'POST', '/api/services/ratings/by-token', { token: stale, level: 4 });
    expect(r.statusCode).toBe(409);
    expect(r.json().detail).toBe('评价链接已过期');
    w.clock.advance(30 * 86_400_000);
    const late = await w.call('anon', 'POST', '/api/services/ratings/by-token', { token, level: 4 });
    expect(late.statusCode).toBe(409);
    expect((await w.call('citizen', 'POST', `/api/services/ratings/invitations/${inv!.id}/rating`, { level: 4 })).statusCode).toBe(409);
    expect((await w.invitationOf(app.id))!.rated_at).toBeNull();
    w.clock.advance(-30 * 86_400_000);
  });
});

describe('the portal', () => {
  it('the applicant rates their own case once; anyone else gets 404', async () => {
    const app = await w.completeApplication();
    const inv = await w.invitationOf(app.id);
    expect((await w.call('stranger', 'POST', `/api/services/ratings/invitations/${inv!.id}/rating`, { level: 5 })).statusCode).toBe(404);
    expect((await w.call('anon', 'POST', `/api/services/ratings/invitations/${inv!.id}/rating`, { level: 5 })).statusCode).toBe(401);
    const r = await w.ok('citizen', 'POST', `/api/services/ratings/invitations/${inv!.id}/rating`, { level: 3 }, 201);
    expect(r).toMatchObject({ channel: 'web', level: 3, levelName: '基本满意', bad: false });
    expect((await w.call('citizen', 'POST', `/api/services/ratings/invitations/${inv!.id}/rating`, { level: 3 })).statusCode).toBe(409);
    const audit = await w.core.db.selectFrom('audit_log').select(['actor', 'division']).where('action', '=', 'services.rating.create').where('object_id', '=', r.id).executeTakeFirstOrThrow();
    expect(audit).toEqual({ actor: `user:${w.ids.citizen}`, division: '530102' });
  });

  it('bad input names every bad field, zh-CN first, and writes nothing', async () => {
    const app = await w.completeApplication();
    const inv = await w.invitationOf(app.id);
    const shape = await w.call('citizen', 'POST', `/api/services/ratings/invitations/${inv!.id}/rating`, { level: 0, comment: 'x'.repeat(501) });
    expect(shape.statusCode).toBe(400);
    expect([...new Set(shape.json().errors.map((e: { pointer: string }) => e.pointer))].sort()).toEqual(['/body/comment', '/body/level']);
    const meaning = await w.call('citizen', 'POST', `/api/services/ratings/invitations/${inv!.id}/rating`, { level: 2, indicators: { overall: 4, attitude: 3, efficiency: 2 } });
    expect(meaning.statusCode).toBe(400);
    const body = meaning.json();
    expect(body.title).toBe('提交的内容有误，请按提示修改');
    // attitude is an offline indicator: this case was applied for online.
    expect(body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/body/indicators/attitude', '/body/indicators/overall']);
    expect((await w.invitationOf(app.id))!.rated_at).toBeNull();
    const en = await w.app.inject({ method: 'POST', url: `/api/services/ratings/invitations/${inv!.id}/rating`, headers: { authorization: 'Bearer rt:citizen', 'accept-language': 'en' }, payload: { level: 2, indicators: { attitude: 3 } } });
    expect(en.json().title).toBe('The request has invalid fields');
  });
});

describe('the hall tablet and the hotline', () => {
  const visit = (over: Record<string, unknown> = {}) => ({ division: '530102', departmentCode: 'WH-MZ', window: 'A03', level: 4, indicators: { attitude: 5, 'service-level': 4 }, idempotencyKey: `k-${Math.random().toString(36).slice(2, 12)}`, ...over });

  it('a window clerk records a visit rating (一次一评) without a case; a double tap returns the first rating', async () => {
    const body = visit();
    const first = await w.ok('km_clerk', 'POST', '/api/services/ratings/counter', body, 201);
    expect(first).toMatchObject({ mode: 'visit', channel: 'counter', serviceType: 'offline', window: 'A03', departmentCode: 'WH-MZ', invitationId: null, level: 4 });
    const again = await w.ok('km_clerk', 'POST', '/api/services/ratings/counter', body, 200);
    expect(again.id).toBe(first.id);
    const changed = await w.call('km_clerk', 'POST', '/api/services/ratings/counter', { ...body, level: 1 });
    expect(changed.statusCode).toBe(409);
    expect(changed.json().code).toBe('IDEMPOTENCY_CONFLICT');
    expect(await w.core.db.selectFrom('svc_rating').select('id').where('idempotency_key', '=', body.idempotencyKey).execute()).toHaveLength(1);
  });

  it('with a case number the tablet rating is that case\'s one rating: the SMS link is then used up', async () => {
    const app = await w.completeApplication({ channel: 'counter' });
    const { token } = await w.smsLink(app.number);
    const r = await w.ok('km_clerk', 'POST', '/api/services/ratings/counter', visit({ caseNumber: app.number, level: 5, departmentCode: 'WH-MZ' }), 201);
    expect(r).toMatchObject({ mode: 'case', caseNumber: app.number, departmentCode: 'WH-SCJG', itemName: '企业设立登记' });
    expect((await w.call('anon', 'POST', '/api/services/ratings/by-token', { token, level: 1 })).statusCode).toBe(409);
    // And a second tablet entry for the same case is refused too.
    expect((await w.call('km_clerk', 'POST', '/api/services/ratings/counter', visit({ caseNumber: app.number }))).statusCode).toBe(409);
  });

  it('staff record only in their own divisions, for departments that exist; citizens cannot use the staff channels', async () => {
    const out = await w.call('qj_clerk', 'POST', '/api/services/ratings/counter', visit());
    expect(out.statusCode).toBe(403);
    expect((await w.call('citizen', 'POST', '/api/services/ratings/counter', visit())).statusCode).toBe(403);
    expect((await w.call('citizen', 'POST', '/api/services/ratings/hotline', visit({ window: undefined }))).statusCode).toBe(403);
    const bad = await w.call('km_clerk', 'POST', '/api/services/ratings/counter', visit({ departmentCode: 'NO-SUCH', level: 9 }));
    expect(bad.statusCode).toBe(400);
    const again = await w.call('km_hotline', 'POST', '/api/services/ratings/hotline', { ...visit({ departmentCode: 'NO-SUCH', callerMobile: '12345' }), window: undefined });
    expect(again.statusCode).toBe(400);
    expect(again.json().errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/body/callerMobile', '/body/departmentCode']);
  });

  it('a hotline operator records a caller\'s rating; the number is kept encrypted and shown masked', async () => {
    const { window: _w, ...body } = visit({ callerMobile: '13900001234', level: 3, itemName: '最低生活保障' });
    const r = await w.ok('km_hotline', 'POST', '/api/services/ratings/hotline', body, 201);
    expect(r).toMatchObject({ channel: 'hotline', mode: 'visit', callerMobile: '139****1234', itemName: '最低生活保障' });
    const row = await w.core.db.selectFrom('svc_rating').select(['rater_mobile_enc']).where('id', '=', r.id).executeTakeFirstOrThrow();
    expect(row.rater_mobile_enc!.toString('latin1')).not.toContain('13900001234');
  });
});
