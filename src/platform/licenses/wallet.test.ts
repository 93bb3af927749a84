// Holder wallet: my licenses by holder code, 用证码 authorizations, fetch with authorization,
// every use logged for the holder, refusals (expired, revoked, wrong grantee) audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { makeWorld, LI_ID, SHOP_USCC, ZHANG_ID, type World } from './fixtures/world.js';

describe('holder wallet and authorized use', () => {
  let w: World;
  let zhangLicense: string;
  let shopLicense: string;
  beforeAll(async () => {
    w = await makeWorld();
    await w.defineType();
    zhangLicense = (await w.issue({ holder: { name: '张三', codeType: '111', code: ZHANG_ID } })).identifier;
    shopLicense = (await w.issue()).identifier;
    await w.issue({ holder: { name: '李四', codeType: '111', code: LI_ID } });
  });
  afterAll(() => w.close());

  const inDays = (d: number) => new Date(w.clock.now().getTime() + d * 86400_000).toISOString();

  it('lists a person\'s and an enterprise\'s own licenses by their holder code, and nobody else\'s', async () => {
    const zhang = await w.ok('zhang', 'GET', '/api/licenses/mine');
    expect(zhang.items.map((l: { identifier: string }) => l.identifier)).toEqual([zhangLicense]);
    const shop = await w.ok('shop', 'GET', '/api/licenses/mine');
    expect(shop.items.map((l: { identifier: string }) => l.identifier)).toEqual([shopLicense]);
    expect(shop.items[0].holder.codeMasked).toBe(SHOP_USCC);
    expect((await w.call('clerk', 'GET', '/api/licenses/mine')).statusCode).toBe(403);
    expect((await w.call('anonymous', 'GET', '/api/licenses/mine')).statusCode).toBe(401);
  });

  it('lets the holder authorize a division for a purpose; the service fetches with the code; the holder sees the use', async () => {
    const auth = await w.ok('zhang', 'POST', `/api/licenses/${zhangLicense}/authorizations`, { division: '530102', purpose: '办理食品经营许可变更', expiresAt: inDays(7) }, 201);
    expect(auth.code).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    const fetched = await w.ok('clerk', 'POST', `/api/licenses/${zhangLicense}/fetch`, { code: auth.code.toLowerCase(), purpose: 'YN530102-20261126-000123 材料核验' });
    expect(fetched.document.holder.code).toBe(ZHANG_ID); // the authorized user gets the full signed document
    expect(fetched.status).toBe('valid');
    const uses = await w.ok('zhang', 'GET', '/api/licenses/mine/uses');
    expect(uses.items[0]).toMatchObject({ identifier: zhangLicense, by: 'clerk', purpose: 'YN530102-20261126-000123 材料核验', outcome: 'delivered' });
    const mine = await w.ok('zhang', 'GET', '/api/licenses/mine/authorizations');
    expect(mine.items[0]).toMatchObject({ id: auth.id, status: 'active', purpose: '办理食品经营许可变更' });
    expect(JSON.stringify(mine)).not.toContain(auth.code); // the code is shown once only
    expect(mine.items[0]).toMatchObject({ departmentId: null, departmentName: null });
  });

  it('names the authorized department, so the holder sees whom they authorized', async () => {
    const dept = await w.core.db.insertInto('department').values({ division: '530102', code: 'WH-SCJG', name: '五华区市场监督管理局' }).returning('id').executeTakeFirstOrThrow();
    const auth = await w.ok('zhang', 'POST', `/api/licenses/${zhangLicense}/authorizations`, { division: '530102', departmentId: dept.id, purpose: '食品经营许可延续', expiresAt: inDays(3) }, 201);
    expect(auth).toMatchObject({ departmentId: dept.id, departmentName: '五华区市场监督管理局' });
    const mine = await w.ok('zhang', 'GET', '/api/licenses/mine/authorizations');
    expect(mine.items.find((a: { id: string }) => a.id === auth.id)).toMatchObject({ departmentName: '五华区市场监督管理局' });
    const revoked = await w.ok('zhang', 'POST', `/api/licenses/mine/authorizations/${auth.id}/revoke`);
    expect(revoked).toMatchObject({ status: 'revoked', departmentName: '五华区市场监督管理局' });
  });

  it('refuses another holder\'s license, a wrong code, another division, an expired or withdrawn authorization — each audited', async () => {
    expect((await w.call('li', 'POST', `/api/licenses/${zhangLicense}/authorizations`, { division: '530102', purpose: '冒用', expiresAt: inDays(1) })).statusCode).toBe(404);
    const auth = await w.ok('zhang', 'POST', `/api/licenses/${zhangLicense}/authorizations`, { division: '530102', purpose: '办理变更', expiresAt: inDays(2) }, 201);
    const wrong = await w.call('clerk', 'POST', `/api/licenses/${zhangLicense}/fetch`, { code: 'AAAA-BBBB-CCCC', purpose: '核验' });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().detail).toContain('用证码不正确');
    const elsewhere = await w.call('qj_clerk', 'POST', `/api/licenses/${zhangLicense}/fetch`, { code: auth.code, purpose: '核验' });
    expect(elsewhere.statusCode).toBe(403);
    w.clock.advance(3 * 86400_000);
    const expired = await w.call('clerk', 'POST', `/api/licenses/${zhangLicense}/fetch`, { code: auth.code, purpose: '核验' });
    expect(expired.statusCode).toBe(403);
    expect(expired.json().detail).toContain('已过期');
    const again = await w.ok('zhang', 'POST', `/api/licenses/${zhangLicense}/authorizations`, { division: '530102', purpose: '办理变更', expiresAt: inDays(2) }, 201);
    await w.ok('zhang', 'POST', `/api/licenses/mine/authorizations/${again.id}/revoke`);
    expect((await w.call('clerk', 'POST', `/api/licenses/${zhangLicense}/fetch`, { code: again.code, purpose: '核验' })).json().detail).toContain('撤销');
    const uses = await w.ok('zhang', 'GET', '/api/licenses/mine/uses');
    expect(uses.items.filter((u: { outcome: string }) => u.outcome === 'refused').map((u: { reason: string }) => u.reason)).toEqual(expect.arrayContaining(['code', 'grantee', 'expired-authorization', 'revoked-authorization']));
    const audited = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log WHERE action = 'licenses.license.fetch-refused' AND object_id = ${zhangLicense}`.execute(w.core.db);
    expect(audited.rows[0]!.n).toBeGreaterThanOrEqual(4);
  });

  it('refuses a revoked license even with a valid authorization', async () => {
    const lic = (await w.issue({ holder: { name: '张三', codeType: '111', code: ZHANG_ID } })).identifier;
    const auth = await w.ok('zhang', 'POST', `/api/licenses/${lic}/authorizations`, { division: '530102', purpose: '办理许可延续', expiresAt: inDays(5) }, 201);
    await w.ok('approver', 'POST', `/api/licenses/${lic}/revoke`, { reason: '违法经营被吊销' });
    const r = await w.call('clerk', 'POST', `/api/licenses/${lic}/fetch`, { code: auth.code, purpose: '核验' });
    expect(r.statusCode).toBe(409);
    expect(r.json().detail).toContain('已吊销');
    expect((await w.call('zhang', 'POST', `/api/licenses/${lic}/authorizations`, { division: '530102', purpose: '再授权', expiresAt: inDays(1) })).statusCode).toBe(409);
  });

  it('validates the authorization: future expiry within a year, known division, purpose ≤ 200', async () => {
    const r = await w.call('zhang', 'POST', `/api/licenses/${zhangLicense}/authorizations`, { division: '530199', purpose: '办理', expiresAt: inDays(-1) });
    expect(r.statusCode).toBe(400);
    expect(r.json().errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/body/division', '/body/expiresAt']);
    const long = await w.call('zhang', 'POST', `/api/licenses/${zhangLicense}/authorizations`, { division: '530102', purpose: '长'.repeat(201), expiresAt: inDays(1) });
    expect(long.json().errors[0].pointer).toBe('/body/purpose');
  });
});
