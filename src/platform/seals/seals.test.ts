// Seal registry, authorization, usage log and sealPdf, verified with poppler's pdfsig.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { makeWorld, type World } from '../licenses/fixtures/world.js';
import { poppler } from '../licenses/fixtures/poppler.js';

async function plainPdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.addPage([595.28, 841.89]).drawText('Notice No. 2026-001', { x: 72, y: 760, size: 14 });
  return Buffer.from(await doc.save());
}

describe('seals', () => {
  let w: World;
  let sealId: string;
  beforeAll(async () => {
    w = await makeWorld();
    const s = await w.ok('admin', 'POST', '/api/seals', { kind: 'organization', name: '昆明市五华区人民政府办公室', purpose: '公文专用章', division: '530102' }, 201);
    sealId = s.id;
  });
  afterAll(() => w.close());

  const seal = (who: 'approver' | 'clerk', pdf: Buffer, purpose = '五华政办发〔2026〕1号') =>
    w.app.inject({ method: 'POST', url: `/api/seals/${sealId}/seal?purpose=${encodeURIComponent(purpose)}`, headers: { authorization: `Bearer lc:${who}`, 'content-type': 'application/pdf' }, payload: pdf });

  it('registers a seal with a certificate from the platform CA and a generated round seal image', async () => {
    const s = await w.ok('approver', 'GET', `/api/seals/${sealId}`);
    expect(s).toMatchObject({ kind: 'organization', name: '昆明市五华区人民政府办公室', purpose: '公文专用章', status: 'active' });
    expect(s.certificate.subject).toContain('CN=昆明市五华区人民政府办公室公文专用章');
    const img = await w.call('approver', 'GET', `/api/seals/${sealId}/image`);
    expect(img.headers['content-type']).toContain('image/svg+xml');
    expect(img.body).toContain('<polygon'); // the star
    for (const ch of '五华区人民政府') expect(img.body).toContain(`>${ch}</text>`);
    expect(img.body).toContain('公文专用章');
    expect((await w.call('qj_approver', 'GET', `/api/seals/${sealId}`)).statusCode).toBe(404);
    expect((await w.call('approver', 'POST', '/api/seals', { kind: 'organization', name: '无权', division: '530102' })).statusCode).toBe(403);
  });

  it('refuses a user who is not authorized, logs and audits the attempt', async () => {
    const r = await seal('clerk', await plainPdf());
    expect(r.statusCode).toBe(403);
    expect(r.json().detail).toBe('您未获授权使用该印章');
    const usage = await w.ok('admin', 'GET', `/api/seals/${sealId}/usage`);
    expect(usage.items[0]).toMatchObject({ outcome: 'refused', reason: 'not-authorized', actor: `user:${w.ids.clerk}` });
    const audited = await w.core.db.selectFrom('audit_log').select('action').where('action', '=', 'seals.seal.use-refused').where('object_id', '=', sealId).execute();
    expect(audited).toHaveLength(1);
  });

  it('seals a PDF for an authorized user: visible seal, pdfsig valid with the Chinese name; any altered byte breaks it', async () => {
    await w.ok('admin', 'POST', `/api/seals/${sealId}/authorizations`, { accountId: w.ids.approver }, 201);
    const r = await seal('approver', await plainPdf());
    expect(r.statusCode, r.body).toBe(200);
    const out = r.rawPayload;
    const sig = poppler('pdfsig', out);
    expect(sig).toContain('Signature is Valid.');
    expect(sig).toContain('Signer Certificate Common Name: 昆明市五华区人民政府办公室公文专用章');
    expect(poppler('pdftotext', out)).toContain('公文专用章');
    const bad = Buffer.from(out);
    const at = out.indexOf('Notice');
    bad[at > 0 ? at : 200] = bad[at > 0 ? at : 200]! ^ 0x01;
    expect(poppler('pdfsig', bad)).toMatch(/Digest Mismatch|Invalid/i);
    const usage = await w.ok('admin', 'GET', `/api/seals/${sealId}/usage`);
    expect(usage.items.find((u: { outcome: string }) => u.outcome === 'sealed')).toMatchObject({ outcome: 'sealed', purpose: '五华政办发〔2026〕1号', documentHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('refuses a non-PDF upload, an expired authorization and a revoked seal', async () => {
    const notPdf = await seal('approver', Buffer.from('%PDF-1.7 not really'));
    expect(notPdf.statusCode).toBe(400);
    const s2 = await w.ok('admin', 'POST', '/api/seals', { kind: 'personal', name: '王五', division: '530102', accountId: w.ids.clerk }, 201);
    await w.ok('admin', 'POST', `/api/seals/${s2.id}/authorizations`, { accountId: w.ids.clerk, expiresAt: new Date(w.clock.now().getTime() + 3600_000).toISOString() }, 201);
    w.clock.advance(2 * 3600_000);
    const expired = await w.app.inject({ method: 'POST', url: `/api/seals/${s2.id}/seal`, headers: { authorization: 'Bearer lc:clerk', 'content-type': 'application/pdf' }, payload: await plainPdf() });
    expect(expired.statusCode).toBe(403);
    expect(expired.json().detail).toContain('已过期');
    await w.ok('admin', 'POST', `/api/seals/${sealId}/revoke`, { reason: '印章更换' });
    const revoked = await seal('approver', await plainPdf());
    expect(revoked.statusCode).toBe(409);
    const square = await w.call('admin', 'GET', `/api/seals/${s2.id}/image`);
    expect(square.body).toContain('王五印');
  });
});
