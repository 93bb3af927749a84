// The e-bill as a PDF, laid out like a 财政电子票据: title, 票据代码/号码/校验码/开票日期, payer and
// payee, the item table, 合计 in capital and figures, the payment, the QR to the verification page,
// the payee's red 票据专用章 drawn as vectors and a PDF signature (adbe.pkcs7.detached) by the payee's
// bill certificate from the platform CA — pdfsig reports it valid.
import type { Core } from '../../../core/index.js';
import { audit } from '../../../core/audit/record.js';
import { embedCjkFont } from '../../seals/font.js';
import { drawRoundSeal } from '../../seals/draw.js';
import { signerCertificate } from '../../seals/ca.js';
import { signPdfDocument } from '../../seals/sign-pdf.js';
import { BILL_ISSUE, chinaDate, mayIn, READ, type Caller } from '../access.js';
import { holderIndexOf } from '../wallet.js';
import { billRef, type BillDocument } from './document.js';
import { billNotFound, findBill, type BillRow } from './view.js';

export const BILL_SEAL_PURPOSE = '票据专用章';

export async function billPdf(core: Core, caller: Caller, billCode: string, billNumber: string): Promise<Buffer> {
  const row = await findBill(core.db, billCode, billNumber);
  if (!row) throw billNotFound();
  const staff = mayIn(caller.principal, BILL_ISSUE, row.division) || mayIn(caller.principal, READ, row.division);
  if (!staff) {
    const idx = await holderIndexOf(core, core.db, caller);
    if (!idx || idx !== row.payer_code_bidx) throw billNotFound();
  }
  const pdf = await renderBillPdf(core, row);
  await audit(core.db, caller.actor, { action: 'licenses.bill.pdf', object: { type: 'bill', id: billRef(row.bill_code, row.bill_number) }, division: row.division });
  return pdf;
}

async function qrModules(text: string) {
  const QR = (await import('qrcode')).default;
  const qr = QR.create(text, { errorCorrectionLevel: 'M' });
  return { size: qr.modules.size, get: (r: number, c: number) => !!qr.modules.get(r, c) };
}

export async function renderBillPdf(core: Core, row: BillRow): Promise<Buffer> {
  const { PDFDocument, rgb } = await import('pdf-lib');
  const d = JSON.parse(row.canonical) as BillDocument;
  const pdf = await PDFDocument.create();
  pdf.setTitle(`${d.billType.name} ${d.billCode} ${d.billNumber}`);
  pdf.setCreator('Yunling 云岭');
  pdf.setCreationDate(core.clock.now());
  pdf.setModificationDate(core.clock.now());
  const font = await embedCjkFont(pdf);
  const page = pdf.addPage([595.28, 841.89]);
  const ink = rgb(0.1, 0.1, 0.1);
  const red = rgb(0.6, 0.1, 0.1);
  const grey = rgb(0.35, 0.35, 0.35);
  const W = page.getWidth();
  const text = (s: string, x: number, y: number, size = 10, color = ink) => page.drawText(s, { x, y, size, font, color });
  const centred = (s: string, y: number, size: number, color = ink) => text(s, (W - font.widthOfTextAtSize(s, size)) / 2, y, size, color);
  centred(`${d.billType.name}（电子）`, 790, 20, red);
  centred('财政电子票据', 768, 11, grey);
  text(`票据代码：${d.billCode}`, 40, 740); text(`票据号码：${d.billNumber}`, 220, 740); text(`校验码：${d.checkCode}`, 400, 740);
  text(`交款人：${d.payer.name}`, 40, 720); text(`开票日期：${chinaDate(new Date(d.issuedAt))}`, 400, 720);
  if (d.payer.code) text(`交款人代码：${d.payer.codeType === '111' ? (row.payer_code_masked ?? '') : d.payer.code}`, 40, 704);
  // Item table.
  const cols = [40, 110, 300, 350, 410, 480, 555];
  const heads = ['项目编码', '项目名称', '单位', '数量', '标准', '金额（元）'];
  let y = 680;
  page.drawLine({ start: { x: 40, y: y + 14 }, end: { x: 555, y: y + 14 }, thickness: 0.8, color: red });
  heads.forEach((h, i) => text(h, cols[i]! + 3, y, 10, red));
  y -= 8;
  page.drawLine({ start: { x: 40, y }, end: { x: 555, y }, thickness: 0.5, color: red });
  for (const it of d.items) {
    y -= 16;
    const name = Array.from(it.name);
    [it.code ?? '', name.length > 15 ? `${name.slice(0, 14).join('')}…` : it.name, it.unit, String(it.quantity), it.unitPrice ?? '', it.amount]
      .forEach((v, i) => text(v, cols[i]! + 3, y));
  }
  y -= 12;
  page.drawLine({ start: { x: 40, y }, end: { x: 555, y }, thickness: 0.5, color: red });
  y -= 18;
  text(`金额合计（大写）：${d.totalCapital}`, 43, y, 11);
  text(`（小写）¥${d.total}`, 410, y, 11);
  y -= 10;
  page.drawLine({ start: { x: 40, y }, end: { x: 555, y }, thickness: 0.8, color: red });
  y -= 20;
  text(`交款方式：${d.payment.channelName}    交易流水号：${d.payment.transactionId}`, 43, y);
  y -= 16;
  text(`交款时间：${new Date(new Date(d.payment.paidAt).getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ')}（北京时间）`, 43, y);
  if (d.caseRef) { y -= 16; text(`业务编号：${d.caseRef}`, 43, y); }
  if (d.remark) { y -= 16; text(`备注：${d.remark}`, 43, y); }
  y -= 24;
  text(`收款单位（章）：${d.payee.name}`, 43, y, 11);
  text(`统一社会信用代码：${d.payee.code}`, 43, y - 16);
  const qr = await qrModules(`${core.config.baseUrl}/verify/bill/${d.billCode}/${d.billNumber}?checkCode=${d.checkCode}`);
  const cell = 90 / qr.size;
  const qy = y - 130;
  for (let r = 0; r < qr.size; r++) for (let c = 0; c < qr.size; c++) {
    if (qr.get(r, c)) page.drawRectangle({ x: 43 + c * cell, y: qy + (qr.size - 1 - r) * cell, width: cell, height: cell, color: rgb(0, 0, 0) });
  }
  text('扫码查验 / Scan to verify', 43, qy - 14, 8);
  await drawRoundSeal(page, font, { x: 440, y: y - 60, radius: 52, name: d.payee.name, purpose: BILL_SEAL_PURPOSE });
  const signer = await signerCertificate(core, `bill-issuer:${row.payee_code}`, { organization: row.payee_name, name: `${row.payee_name}${BILL_SEAL_PURPOSE}`, serialNumber: row.payee_code });
  return signPdfDocument(pdf, signer, { reason: `财政电子票据 ${billRef(d.billCode, d.billNumber)}`, name: row.payee_name, location: row.division }, new Date());
}
