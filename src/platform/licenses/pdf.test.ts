// The license PDF: Chinese text, QR, red seal, and a PDF signature that poppler's pdfsig verifies
// (and rejects after any altered byte). pdfsig and pdffonts run for real.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, ZHANG_ID, type World } from './fixtures/world.js';
import { poppler } from './fixtures/poppler.js';

describe('license PDF', () => {
  let w: World;
  let identifier: string;
  let pdf: Buffer;
  beforeAll(async () => {
    w = await makeWorld();
    await w.defineType();
    identifier = (await w.issue({ holder: { name: '张三', codeType: '111', code: ZHANG_ID } })).identifier;
    const r = await w.call('zhang', 'GET', `/api/licenses/${identifier}/pdf`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toBe('application/pdf');
    pdf = r.rawPayload;
  });
  afterAll(() => w.close());

  it('is signed (adbe.pkcs7.detached) by the issuer\'s certificate with its Chinese name intact, and pdfsig says valid', () => {
    const out = poppler('pdfsig', pdf);
    expect(out).toContain('Signature is Valid.');
    expect(out).toContain('adbe.pkcs7.detached');
    expect(out).toContain('Signer Certificate Common Name: 昆明市五华区市场监督管理局电子证照专用章');
    expect(out).toContain('Total document signed');
  });

  it('reports Digest Mismatch after any altered byte inside the signed ranges', () => {
    const text = pdf.toString('latin1');
    for (const at of [text.indexOf('/Title'), text.indexOf('stream') + 20, Math.floor(pdf.length * 0.9)]) {
      const bad = Buffer.from(pdf);
      bad[at] = bad[at]! ^ 0x01;
      expect(poppler('pdfsig', bad)).toMatch(/Digest Mismatch|Signature is Invalid|not valid/i);
    }
  });

  it('carries the Chinese text (embedded subset font), the identifier and the verification link', () => {
    const fonts = poppler('pdffonts', pdf);
    expect(fonts).toMatch(/WenQuanYiMicroHei/);
    expect(fonts).toMatch(/yes\s+(yes|no)\s+yes/); // embedded, with a ToUnicode map
    expect(pdf.length).toBeLessThan(120_000); // a subset, not the 5 MB collection
    const text = poppler('pdftotext', pdf);
    expect(text).toContain('食品经营许可证');
    expect(text).toContain('张三');
    expect(text).toContain('电子证照专用章');
    expect(text).toContain(identifier);
  });

  it('is available to the holder and staff in the division only, and the download is audited', async () => {
    expect((await w.call('clerk', 'GET', `/api/licenses/${identifier}/pdf`)).statusCode).toBe(200);
    expect((await w.call('li', 'GET', `/api/licenses/${identifier}/pdf`)).statusCode).toBe(404);
    expect((await w.call('qj_clerk', 'GET', `/api/licenses/${identifier}/pdf`)).statusCode).toBe(404);
    const n = await w.core.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'licenses.license.pdf').where('object_id', '=', identifier).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(2);
  });

  it('reuses one certificate per issuer under one platform CA', async () => {
    await w.call('clerk', 'GET', `/api/licenses/${identifier}/pdf`);
    const certs = await w.core.db.selectFrom('seal_certificate').select(['kind', 'owner_key']).execute();
    expect(certs.filter((c) => c.kind === 'ca')).toHaveLength(1);
    expect(certs.filter((c) => c.kind === 'signer')).toHaveLength(1);
  });
});
