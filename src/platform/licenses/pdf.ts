// The license as a PDF: Chinese text (wqy-microhei subset), face data, the QR code to
// /verify/<identifier>, the issuer's red round seal drawn as vectors, and a PDF signature
// (adbe.pkcs7.detached) by the issuer's certificate from the platform CA.
import type { Core } from '../../core/index.js';
import { audit } from '../../core/audit/record.js';
import { embedCjkFont } from '../seals/font.js';
import { drawRoundSeal } from '../seals/draw.js';
import { signerCertificate } from '../seals/ca.js';
import { signPdfDocument } from '../seals/sign-pdf.js';
import { licenseNotFound, mayIn, READ, type Caller } from './access.js';
import type { LicenseDocument } from './canonical.js';
import { getLicenseType } from './types.js';
import { holderBlindIndex, holderCode, type LicenseRow } from './view.js';

export const LICENSE_SEAL_PURPOSE = '电子证照专用章';

/** Staff who may read the license in its division, or its holder (by their account's holder code). */
async function mayRead(core: Core, caller: Caller, row: LicenseRow): Promise<boolean> {
  if (mayIn(caller.principal, READ, row.division)) return true;
  const m = /^user:(.+)$/.exec(caller.principal.id);
  if (!m) return false;
  const a = await core.db.selectFrom('account').select(['type', 'id_number_bidx', 'uscc']).where('id', '=', m[1]!).executeTakeFirst();
  const idx = a?.type === 'citizen' ? a.id_number_bidx : a?.uscc ? holderBlindIndex(core, a.uscc) : null;
  return !!idx && idx === row.holder_code_bidx;
}

async function qrModules(text: string): Promise<{ size: number; get(r: number, c: number): boolean }> {
  const QR = (await import('qrcode')).default;
  const qr = QR.create(text, { errorCorrectionLevel: 'M' });
  return { size: qr.modules.size, get: (r, c) => !!qr.modules.get(r, c) };
}

export async function licensePdf(core: Core, caller: Caller, identifier: string): Promise<Buffer> {
  const row = await core.db.selectFrom('license').selectAll().where('identifier', '=', identifier.trim().toUpperCase()).executeTakeFirst();
  if (!row || !(await mayRead(core, caller, row))) throw licenseNotFound();
  const pdf = await renderLicensePdf(core, row);
  await audit(core.db, caller.actor, { action: 'licenses.license.pdf', object: { type: 'license', id: row.identifier }, division: row.division });
  return pdf;
}

/** Renders and signs. Exported for the CLI (which has no HTTP caller). */
export async function renderLicensePdf(core: Core, row: LicenseRow): Promise<Buffer> {
  const { PDFDocument, rgb } = await import('pdf-lib');
  const doc = JSON.parse(row.canonical) as LicenseDocument;
  const type = await getLicenseType(core.db, row.type_code);
  const pdf = await PDFDocument.create();
  pdf.setTitle(`${doc.typeName} ${doc.licenseNumber}`);
  pdf.setCreator('Yunling 云岭');
  pdf.setCreationDate(core.clock.now());
  pdf.setModificationDate(core.clock.now());
  const font = await embedCjkFont(pdf);
  const page = pdf.addPage([595.28, 841.89]);
  const ink = rgb(0.1, 0.1, 0.1);
  const W = page.getWidth();
  const centred = (text: string, y: number, size: number) => page.drawText(text, { x: (W - font.widthOfTextAtSize(text, size)) / 2, y, size, font, color: ink });
  page.drawRectangle({ x: 30, y: 30, width: W - 60, height: 781, borderColor: rgb(0.72, 0.55, 0.2), borderWidth: 2 });
  centred('中华人民共和国', 760, 16);
  centred(doc.typeName, 720, 28);
  centred(`（电子证照）编号：${doc.licenseNumber}`, 695, 11);
  const fields: Array<[string, string]> = [
    ['持证主体', doc.holder.name],
    [doc.holder.codeType === '111' ? '公民身份号码' : '统一社会信用代码', holderCode(core, row)],
  ];
  const props = (type?.faceSchema.properties ?? {}) as Record<string, { title?: string }>;
  const keys = [...Object.keys(props).filter((k) => k in doc.faceData), ...Object.keys(doc.faceData).filter((k) => !(k in props))];
  for (const k of keys) fields.push([props[k]?.title ?? k, String(doc.faceData[k])]);
  fields.push(['有效期限', `${doc.validFrom} 至 ${doc.validUntil ?? '长期'}`], ['颁证日期', doc.issuedOn], ['颁证单位', doc.issuer.name]);
  let y = 640;
  for (const [k, v] of fields) {
    page.drawText(`${k}：`, { x: 70, y, size: 13, font, color: rgb(0.35, 0.35, 0.35) });
    // Long values wrap at ~28 characters per line.
    const chars = Array.from(v);
    for (let i = 0; i < chars.length || i === 0; i += 28) {
      page.drawText(chars.slice(i, i + 28).join(''), { x: 190, y, size: 13, font, color: ink });
      y -= 22;
    }
    y -= 6;
  }
  // QR to the public verification page, bottom left; identifier under it.
  const qr = await qrModules(`${core.config.baseUrl}/verify/${row.identifier}`);
  const cell = 110 / qr.size;
  for (let r = 0; r < qr.size; r++) for (let c = 0; c < qr.size; c++) {
    if (qr.get(r, c)) page.drawRectangle({ x: 70 + c * cell, y: 80 + (qr.size - 1 - r) * cell, width: cell, height: cell, color: rgb(0, 0, 0) });
  }
  page.drawText('扫码核验 / Scan to verify', { x: 70, y: 66, size: 9, font, color: ink });
  page.drawText(`电子证照标识：${row.identifier}`, { x: 70, y: 48, size: 8, font, color: ink });
  await drawRoundSeal(page, font, { x: 430, y: 150, radius: 62, name: doc.issuer.name, purpose: LICENSE_SEAL_PURPOSE });
  const signer = await signerCertificate(core, `license-issuer:${row.issuer_code}`, { organization: row.issuer_name, name: `${row.issuer_name}${LICENSE_SEAL_PURPOSE}`, serialNumber: row.issuer_code });
  // The signature's time is wall-clock time, the same that OpenSSL records in the CMS.
  return signPdfDocument(pdf, signer, { reason: `电子证照 ${row.identifier}`, name: row.issuer_name, location: row.division }, new Date());
}
