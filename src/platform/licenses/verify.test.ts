// Public verification: API and the QR page, authentic vs altered vs wrong check character.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { formatIdentifier } from './identifier.js';
import { makeWorld, TYPE_CODE, WUHUA_BUREAU, ZHANG_ID, type World } from './fixtures/world.js';

describe('public verification', () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld();
    await w.defineType();
  });
  afterAll(() => w.close());

  const citizenLicense = () => w.issue({ holder: { name: '张三', codeType: '111', code: ZHANG_ID } });

  it('answers without sign-in: signature valid, status, issuer, validity, holder masked', async () => {
    const lic = await citizenLicense();
    const r = await w.ok('anonymous', 'GET', `/api/licenses/${lic.identifier}/verify`);
    expect(r).toMatchObject({ signatureValid: true, status: 'valid', issuer: { code: WUHUA_BUREAU, name: '昆明市五华区市场监督管理局' }, typeName: '食品经营许可证', holder: { name: '张*', codeType: '111', code: '5301**********' + ZHANG_ID.slice(-4) } });
    expect(JSON.stringify(r)).not.toContain(ZHANG_ID);
    // A lowercase identifier (typed from paper) is the same license.
    expect((await w.ok('anonymous', 'GET', `/api/licenses/${lic.identifier.toLowerCase()}/verify`)).signatureValid).toBe(true);
  });

  it('reports a wrong check character as such (400 naming the identifier), an unknown license as 404', async () => {
    const lic = await citizenLicense();
    const parts = lic.identifier.split('.');
    const last = parts.pop()!;
    const wrong = [...parts, last === '0' ? '1' : '0'].join('.');
    const r = await w.call('anonymous', 'GET', `/api/licenses/${wrong}/verify`);
    expect(r.statusCode).toBe(400);
    expect(r.json().errors).toEqual([expect.objectContaining({ pointer: '/params/identifier', code: 'check-character', message: expect.stringContaining('校验位') })]);
    const never = formatIdentifier({ typeCode: TYPE_CODE, issuerCode: WUHUA_BUREAU, serial: 'NEVERISSUED000000000', version: '001' });
    expect((await w.call('anonymous', 'GET', `/api/licenses/${never}/verify`)).statusCode).toBe(404);
  });

  it('shows an altered record (face data, holder, dates) as invalid', async () => {
    for (const edit of [
      sql`UPDATE license SET face_data = jsonb_set(face_data, '{经营范围}', '"全部食品"') WHERE identifier = `,
      sql`UPDATE license SET holder_name = '王五' WHERE identifier = `,
      sql`UPDATE license SET valid_until = '2099-12-31' WHERE identifier = `,
      sql`UPDATE license SET canonical = replace(canonical, '热食类', '全部') WHERE identifier = `,
    ]) {
      const lic = await citizenLicense();
      await sql`${edit}${lic.identifier}`.execute(w.core.db);
      expect((await w.ok('anonymous', 'GET', `/api/licenses/${lic.identifier}/verify`)).signatureValid).toBe(false);
    }
  });

  it('verifies a presented copy: authentic, altered, or signed with someone else\'s key', async () => {
    const lic = await w.issue();
    const full = await w.ok('clerk', 'GET', `/api/licenses/${lic.identifier}`);
    expect(await w.ok('anonymous', 'POST', '/api/licenses/verify', { document: full.document, signature: full.signature })).toEqual({ signatureValid: true, registered: true, matchesRegistry: true, status: 'valid' });
    const forged = { ...full.document, faceData: { ...full.document.faceData, 经营范围: '全部食品' } };
    expect(await w.ok('anonymous', 'POST', '/api/licenses/verify', { document: forged, signature: full.signature })).toMatchObject({ signatureValid: false, matchesRegistry: false });
    // A forger's own SM2 key, with the real issuer's key id claimed: still invalid.
    const key = w.core.crypto.generateSigningKey();
    const { canonicalize } = await import('./canonical.js');
    const sig = w.core.crypto.sign(key, Buffer.from(canonicalize(forged)));
    expect((await w.ok('anonymous', 'POST', '/api/licenses/verify', { document: forged, signature: sig.toString('base64') })).signatureValid).toBe(false);
  });

  it('tells revoked, superseded and expired licenses apart', async () => {
    const a = await w.issue();
    await w.ok('approver', 'POST', `/api/licenses/${a.identifier}/revoke`, { reason: '申请人主动注销' });
    expect(await w.ok('anonymous', 'GET', `/api/licenses/${a.identifier}/verify`)).toMatchObject({ signatureValid: true, status: 'revoked', statusReason: '申请人主动注销' });
    const b = await w.issue({ issuedOn: '2020-01-01', validFrom: '2020-01-01', validUntil: '2024-12-31' });
    expect((await w.ok('anonymous', 'GET', `/api/licenses/${b.identifier}/verify`)).status).toBe('expired');
    const c = await w.issue();
    const c2 = await w.issue({ supersedes: c.identifier });
    expect(await w.ok('anonymous', 'GET', `/api/licenses/${c.identifier}/verify`)).toMatchObject({ status: 'superseded', supersededBy: c2.identifier });
  });

  it('renders the QR page in zh-CN and en, masked, accessible, and with errors explained', async () => {
    const lic = await citizenLicense();
    const zh = await w.call('anonymous', 'GET', `/verify/${lic.identifier}`);
    expect(zh.statusCode).toBe(200);
    expect(zh.headers['content-type']).toContain('text/html');
    expect(zh.body).toContain('<html lang="zh-CN">');
    expect(zh.body).toContain('name="viewport"');
    expect(zh.body).toContain('证照真实有效');
    expect(zh.body).toContain('张*');
    expect(zh.body).not.toContain(ZHANG_ID);
    expect(zh.body).not.toContain('<script');
    const en = await w.call('anonymous', 'GET', `/verify/${lic.identifier}?lang=en`);
    expect(en.body).toContain('<html lang="en">');
    expect(en.body).toContain('Authentic');
    const parts = lic.identifier.split('.');
    parts[parts.length - 1] = parts[parts.length - 1] === 'A' ? 'B' : 'A';
    const bad = await w.call('anonymous', 'GET', `/verify/${parts.join('.')}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('校验位不正确');
    expect(bad.body).toContain('role="alert"');
    await sql`UPDATE license SET holder_name = '王五' WHERE identifier = ${lic.identifier}`.execute(w.core.db);
    expect((await w.call('anonymous', 'GET', `/verify/${lic.identifier}`)).body).toContain('签名验证未通过');
  });
});
