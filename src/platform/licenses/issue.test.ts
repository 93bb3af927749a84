// Issuing licenses over HTTP against a real database; OpenSSL is the oracle for the signatures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openSslDir } from '../../core/crypto/test-openssl.js';
import { parseIdentifier } from './identifier.js';
import { issueLicense } from './issue.js';
import { makeWorld, SHOP_USCC, TYPE_CODE, WUHUA_BUREAU, ZHANG_ID, type World } from './fixtures/world.js';

describe('license types and issuance (SM profile)', () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld();
    await w.defineType();
  });
  afterAll(() => w.close());

  it('refuses a type definition with every bad field named, and a second definition of a code', async () => {
    const r = await w.call('admin', 'POST', '/api/licenses/types', { code: '91530102MA00000000001', name: '坏类型', definerName: 'x', holderKinds: ['111', '111'], faceSchema: { type: 'array' }, validity: {}, trustLevel: 'A' });
    expect(r.statusCode).toBe(400);
    const pointers = r.json().errors.map((e: { pointer: string }) => e.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/body/code', '/body/validity', '/body/faceSchema/type', '/body/holderKinds']));
    expect((await w.call('admin', 'POST', '/api/licenses/types', { code: TYPE_CODE, name: '重复', definerName: 'x', holderKinds: ['111'], faceSchema: { type: 'object' }, validity: { permanent: true }, trustLevel: 'B' })).statusCode).toBe(409);
    expect((await w.call('clerk', 'POST', '/api/licenses/types', { code: TYPE_CODE, name: '无权', definerName: 'x', holderKinds: ['111'], faceSchema: { type: 'object' }, validity: { permanent: true }, trustLevel: 'B' })).statusCode).toBe(403);
  });

  it('issues a license with a GB/T 36904 identifier, GB/T 36903 metadata and a validity from the type rule', async () => {
    const lic = await w.issue({ issuedOn: '2026-11-26' });
    const parsed = parseIdentifier(lic.identifier);
    expect(parsed.ok).toBe(true);
    expect(lic.identifier).toMatch(new RegExp(`^1\\.2\\.156\\.3005\\.2\\.${TYPE_CODE}\\.${WUHUA_BUREAU}\\.[0-9A-Z]{20}\\.001\\.[0-9A-Z]$`));
    expect(lic).toMatchObject({ status: 'valid', version: 1, validFrom: '2026-11-26', validUntil: '2031-11-25', holder: { name: '昆明云岭小吃店', codeType: '001', codeMasked: SHOP_USCC } });
    const full = await w.ok('clerk', 'GET', `/api/licenses/${lic.identifier}`);
    expect(full.document).toMatchObject({ identifier: lic.identifier, typeName: '食品经营许可证', issuer: { code: WUHUA_BUREAU }, jurisdiction: '530102', trustLevel: 'A', algorithm: 'SM2-with-SM3' });
    const audit = await sql<{ action: string }>`SELECT action FROM audit_log WHERE object_id = ${lic.identifier}`.execute(w.core.db);
    expect(audit.rows.map((r) => r.action)).toContain('licenses.license.issue');
    const events = await sql<{ type: string }>`SELECT type FROM outbox WHERE aggregate_id = ${lic.identifier}`.execute(w.core.db);
    expect(events.rows.map((r) => r.type)).toContain('licenses.license.issued');
  });

  it('signs with the issuer\'s SM2 key so that OpenSSL verifies the canonical document with the published key', async () => {
    const lic = await w.issue();
    const full = await w.ok('clerk', 'GET', `/api/licenses/${lic.identifier}`);
    const keys = await w.ok('anonymous', 'GET', `/api/licenses/keys?issuerCode=${WUHUA_BUREAU}`);
    expect(keys.items).toHaveLength(1); // one key per issuer, reused across licenses
    const row = await w.core.db.selectFrom('license').select('canonical').where('identifier', '=', lic.identifier).executeTakeFirstOrThrow();
    const o = openSslDir();
    try {
      o.write('pub.pem', keys.items[0].publicKeyPem);
      o.write('doc.json', row.canonical);
      o.write('sig.der', Buffer.from(full.signature, 'base64'));
      expect(o.run('pkeyutl', '-verify', '-pubin', '-inkey', 'pub.pem', '-rawin', '-digest', 'sm3', '-pkeyopt', 'distid:1234567812345678', '-in', 'doc.json', '-sigfile', 'sig.der')).toContain('Signature Verified Successfully');
      o.write('doc2.json', row.canonical.replace('热食类', '冷食类'));
      expect(() => o.run('pkeyutl', '-verify', '-pubin', '-inkey', 'pub.pem', '-rawin', '-digest', 'sm3', '-pkeyopt', 'distid:1234567812345678', '-in', 'doc2.json', '-sigfile', 'sig.der')).toThrow(/Verification failure|failed/);
    } finally {
      o.cleanup();
    }
  });

  it('names every bad field of an issuance at once', async () => {
    const r = await w.call('approver', 'POST', '/api/licenses', w.issueBody({
      typeCode: TYPE_CODE, issuerCode: '91530102MA0000000X', holder: { name: '张三', codeType: '111', code: '530102199001011230' },
      faceData: { 名称: '', 多余: 1 }, validFrom: '2026-12-01', validUntil: '2026-11-01',
    }));
    expect(r.statusCode).toBe(400);
    const body = r.json();
    expect(body.title).toBe('提交的内容有误，请按提示修改');
    const pointers = body.errors.map((e: { pointer: string }) => e.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/body/issuerCode', '/body/holder/code', '/body/faceData/名称', '/body/faceData/经营场所', '/body/faceData/多余', '/body/validUntil']));
    const en = await w.call('approver', 'POST', '/api/licenses', w.issueBody({ typeCode: '11530000015000000X999' }), { 'accept-language': 'en' });
    expect(en.json().errors[0]).toMatchObject({ pointer: '/body/typeCode', message: 'Unknown license type' });
  });

  it('keeps issuance inside the approver\'s divisions', async () => {
    expect((await w.call('qj_approver', 'POST', '/api/licenses', w.issueBody())).statusCode).toBe(403);
    expect((await w.call('clerk', 'POST', '/api/licenses', w.issueBody())).statusCode).toBe(403);
    const lic = await w.issue();
    expect((await w.call('qj_clerk', 'GET', `/api/licenses/${lic.identifier}`)).statusCode).toBe(404);
    expect((await w.call('qj_approver', 'POST', `/api/licenses/${lic.identifier}/revoke`, { reason: '测试' })).statusCode).toBe(404);
  });

  it('returns the same license for a repeated idempotency key and refuses the key with other data', async () => {
    const a = await w.issue({ idempotencyKey: 'case-000042-license' });
    const b = await w.issue({ idempotencyKey: 'case-000042-license' });
    expect(b.identifier).toBe(a.identifier);
    const c = await w.call('approver', 'POST', '/api/licenses', w.issueBody({ idempotencyKey: 'case-000042-license', licenseNumber: 'JY99' }));
    expect(c.statusCode).toBe(409);
    expect(c.json().code).toBe('IDEMPOTENCY_CONFLICT');
  });

  it('supersedes a license by a new version and revokes with a reason', async () => {
    const v1 = await w.issue();
    const v2 = await w.issue({ supersedes: v1.identifier, faceData: { 名称: '昆明云岭小吃店', 经营场所: '昆明市五华区翠湖南路2号', 经营范围: '热食类食品制售' } });
    expect(v2.identifier.split('.').slice(0, 8)).toEqual(v1.identifier.split('.').slice(0, 8)); // same serial
    expect(v2.identifier.split('.')[8]).toBe('002');
    expect((await w.ok('clerk', 'GET', `/api/licenses/${v1.identifier}`))).toMatchObject({ status: 'superseded', supersededBy: v2.identifier });
    expect((await w.call('approver', 'POST', '/api/licenses', w.issueBody({ supersedes: v1.identifier }))).statusCode).toBe(400);
    const other = await w.call('approver', 'POST', '/api/licenses', w.issueBody({ supersedes: v2.identifier, holder: { name: '张三', codeType: '111', code: ZHANG_ID } }));
    expect(other.json().errors.map((e: { code: string }) => e.code)).toContain('mismatch');
    const revoked = await w.ok('approver', 'POST', `/api/licenses/${v2.identifier}/revoke`, { reason: '以欺骗手段取得许可' });
    expect(revoked).toMatchObject({ status: 'revoked', statusReason: '以欺骗手段取得许可' });
    expect((await w.call('approver', 'POST', `/api/licenses/${v2.identifier}/revoke`, { reason: '再次' })).statusCode).toBe(409);
  });

  it('issues from a service\'s own transaction, and nothing is left when that transaction fails', async () => {
    const caller = { principal: (await (await import('../identity/principal.js')).loadPrincipal(w.core, w.ids.approver!, { mfa: true }))!, actor: { id: `user:${w.ids.approver}` }, lang: 'zh-CN' as const };
    const before = await w.core.db.selectFrom('license').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    await expect(w.core.db.transaction().execute(async (tx) => {
      await issueLicense(w.core, tx, caller, w.issueBody({ caseRef: 'YN530102-20261126-000099' }) as never);
      throw new Error('the case failed to finish');
    })).rejects.toThrow('the case failed');
    const after = await w.core.db.selectFrom('license').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    const lic = await w.core.db.transaction().execute((tx) => issueLicense(w.core, tx, caller, w.issueBody({ caseRef: 'YN530102-20261126-000100' }) as never));
    expect(lic.caseRef).toBe('YN530102-20261126-000100');
  });
});

describe('issuance under CRYPTO_PROFILE=intl', () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld({ env: { CRYPTO_PROFILE: 'intl' } });
    await w.defineType({ validity: { permanent: true } });
  });
  afterAll(() => w.close());

  it('signs with Ed25519 that OpenSSL verifies, and a permanent type has no end date', async () => {
    const lic = await w.issue();
    expect(lic.validUntil).toBeNull();
    const full = await w.ok('clerk', 'GET', `/api/licenses/${lic.identifier}`);
    expect(full.document.algorithm).toBe('Ed25519');
    const keys = await w.ok('anonymous', 'GET', '/api/licenses/keys');
    const row = await w.core.db.selectFrom('license').select('canonical').where('identifier', '=', lic.identifier).executeTakeFirstOrThrow();
    const o = openSslDir();
    try {
      o.write('pub.pem', keys.items[0].publicKeyPem);
      o.write('doc.json', row.canonical);
      o.write('sig.bin', Buffer.from(full.signature, 'base64'));
      expect(o.run('pkeyutl', '-verify', '-pubin', '-inkey', 'pub.pem', '-rawin', '-in', 'doc.json', '-sigfile', 'sig.bin')).toContain('Signature Verified Successfully');
    } finally {
      o.cleanup();
    }
  });
});
