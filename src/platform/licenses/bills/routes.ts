// E-bill routes (tag 电子票据): issue after a payment, public check with code + number + check
// code, offline-copy check, the payer's wallet, the signed PDF, and the HTML page (page.ts).
import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Core } from '../../../core/index.js';
import { pickLang } from '../../../core/http/errors.js';
import { BILL_ISSUE } from '../access.js';
import { callerOf } from '../routes.js';
import { SignedDocument } from '../schema.js';
import type { BillDocument } from './document.js';
import { issueBill, type BillInput } from './issue.js';
import { billPdf } from './pdf.js';
import { Bill, BillBody, BillParams, billTags as tags, BillVerification, CheckQuery } from './schema.js';
import { myBills, verifyBill, verifyBillDocument } from './view.js';

export const billRoutes = (core: Core) => async (app: FastifyInstance) => {
  app.post('/api/licenses/bills', {
    config: { permission: BILL_ISSUE },
    schema: {
      tags, summary: '缴费确认并开具财政电子票据 Confirm a payment and issue its e-bill (once per channel + transactionId: a repeat returns the same bill with 200)',
      body: BillBody, response: { 201: Bill, 200: Bill },
    },
  }, async (req, reply) => {
    const { bill, created } = await issueBill(core, callerOf(req), req.body as BillInput);
    return reply.code(created ? 201 : 200).send(bill);
  });

  app.get('/api/licenses/bills/:billCode/:billNumber/verify', {
    config: { public: true },
    schema: { tags, summary: '查验电子票据 Verify a bill (public; code + number + check code; payer masked)', params: BillParams, querystring: CheckQuery, response: { 200: BillVerification } },
  }, async (req) => {
    const p = req.params as { billCode: string; billNumber: string };
    return verifyBill(core, p.billCode, p.billNumber, (req.query as { checkCode: string }).checkCode, pickLang(req.headers['accept-language']));
  });

  app.post('/api/licenses/bills/verify', {
    config: { public: true },
    schema: {
      tags, summary: '核验出示的票据数据 Verify a presented bill document and signature (offline copy)',
      body: Type.Object({ document: SignedDocument, signature: Type.String({ minLength: 1, maxLength: 400, description: 'base64' }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ signatureValid: Type.Boolean(), registered: Type.Boolean(), matchesRegistry: Type.Boolean() }) },
    },
  }, async (req) => {
    const body = req.body as { document: BillDocument; signature: string };
    const signatureValid = await verifyBillDocument(core.db, body.document, Buffer.from(body.signature, 'base64'));
    const code = String(body.document?.billCode ?? '');
    const number = String(body.document?.billNumber ?? '');
    const row = /^\d{8}$/.test(code) && /^\d{10}$/.test(number)
      ? await core.db.selectFrom('license_bill').select(['signature']).where('bill_code', '=', code).where('bill_number', '=', number).executeTakeFirst()
      : undefined;
    return { signatureValid, registered: !!row, matchesRegistry: !!row && signatureValid && row.signature.equals(Buffer.from(body.signature, 'base64')) };
  });

  app.get('/api/licenses/mine/bills', {
    config: { signedIn: true },
    schema: { tags, summary: '我的电子票据 My e-bills (payer wallet)', response: { 200: Type.Object({ items: Type.Array(Bill) }) } },
  }, async (req) => ({ items: await myBills(core, callerOf(req)) }));

  app.get('/api/licenses/bills/:billCode/:billNumber/pdf', {
    config: { signedIn: true },
    schema: { tags, summary: '下载票据 PDF Signed PDF of a bill (its payer, or staff in its division)', params: BillParams },
  }, async (req, reply) => {
    const p = req.params as { billCode: string; billNumber: string };
    const pdf = await billPdf(core, callerOf(req), p.billCode, p.billNumber);
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="${p.billCode}-${p.billNumber}.pdf"`).send(pdf);
  });
};
