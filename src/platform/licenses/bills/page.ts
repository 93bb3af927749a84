// The bill's verification page from its QR code: /verify/bill/<票据代码>/<票据号码>?checkCode=…
// Server-rendered, no JavaScript, zh-CN first (?lang=en), same look and accessibility as the
// license page (landmarks, a description list, verdict in words, 360 px).
import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Core } from '../../../core/index.js';
import { AppError, pickLang, type Lang } from '../../../core/http/errors.js';
import { esc, STYLE } from '../page.js';
import { billTags } from './schema.js';
import { verifyBill, type BillVerification } from './view.js';

const T = {
  'zh-CN': {
    title: '财政电子票据查验', site: '云岭政务服务平台', authentic: '票据真实：签名验证通过', forged: '签名验证未通过：此票据数据可能被伪造或篡改，请勿采信',
    code: '票据代码', number: '票据号码', type: '票据种类', payee: '收款单位', payer: '交款人', payerCode: '交款人代码', items: '收费项目',
    total: '金额合计', capital: '大写', channel: '交款方式', paidAt: '交款时间', issuedAt: '开票时间', checkedAt: '查验时间',
    other: 'English', otherLang: 'en', errorTitle: '无法查验', note: '交款人信息已脱敏显示。',
  },
  en: {
    title: 'Fiscal e-bill verification', site: 'Yunling government services', authentic: 'Authentic: the signature verifies', forged: 'Signature check FAILED: this bill may be forged or altered; do not rely on it',
    code: 'Bill code', number: 'Bill number', type: 'Bill type', payee: 'Payee', payer: 'Payer', payerCode: 'Payer code', items: 'Items',
    total: 'Total', capital: 'in words', channel: 'Paid by', paidAt: 'Paid at', issuedAt: 'Issued at', checkedAt: 'Checked at',
    other: '中文', otherLang: 'zh-CN', errorTitle: 'Cannot verify', note: 'Payer details are masked.',
  },
} as const;

function layout(lang: Lang, self: string, body: string): string {
  const t = T[lang];
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${t.title} · ${t.site}</title><style>${STYLE}</style></head><body><main>
<header><p>${t.site}</p><a href="${esc(`${self}&lang=${t.otherLang}`)}" lang="${t.otherLang}">${t.other}</a></header>
<h1>${t.title}</h1>${body}</main></body></html>`;
}

export function renderBillVerification(lang: Lang, self: string, r: BillVerification): string {
  const t = T[lang];
  const verdict = r.signatureValid ? `<p class="verdict ok" role="status">✔ ${t.authentic}</p>` : `<p class="verdict bad" role="alert">✘ ${t.forged}</p>`;
  const row = (k: string, v: string | null | undefined) => (v ? `<dt>${k}</dt><dd>${esc(v)}</dd>` : '');
  const items = r.items.map((i) => `${i.name} ${i.quantity}${i.unit} ¥${i.amount}`).join('；');
  const rows = [
    row(t.type, r.billType.name), row(t.code, r.billCode), row(t.number, r.billNumber), row(t.payee, `${r.payee.name} (${r.payee.code})`),
    row(t.payer, r.payer.name), row(t.payerCode, r.payer.codeMasked), row(t.items, items), row(t.total, `¥${r.total}（${t.capital}：${r.totalCapital}）`),
    row(t.channel, r.payment.channelName), row(t.paidAt, r.payment.paidAt), row(t.issuedAt, r.issuedAt), row(t.checkedAt, r.checkedAt),
  ].join('');
  return layout(lang, self, `<section class="card" aria-labelledby="b-h">${verdict}<h2 id="b-h" class="note">${esc(r.billType.name)}</h2><dl>${rows}</dl><p class="note">${t.note}</p></section>`);
}

export const billPageRoutes = (core: Core) => async (app: FastifyInstance) => {
  app.get('/verify/bill/:billCode/:billNumber', {
    config: { public: true },
    schema: {
      tags: billTags, summary: '票据查验页面 Bill verification page (HTML, from the QR code)',
      params: Type.Object({ billCode: Type.String({ maxLength: 8 }), billNumber: Type.String({ maxLength: 10 }) }),
      querystring: Type.Object({ checkCode: Type.String({ maxLength: 12 }), lang: Type.Optional(Type.String({ enum: ['zh-CN', 'en'] })) }),
    },
  }, async (req, reply) => {
    const q = req.query as { checkCode: string; lang?: Lang };
    const p = req.params as { billCode: string; billNumber: string };
    const lang: Lang = q.lang ?? pickLang(req.headers['accept-language']);
    const self = `/verify/bill/${encodeURIComponent(p.billCode)}/${encodeURIComponent(p.billNumber)}?checkCode=${encodeURIComponent(q.checkCode)}`;
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
    try {
      return renderBillVerification(lang, self, await verifyBill(core, p.billCode, p.billNumber, q.checkCode, lang));
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      const msg = (typeof e.detail === 'string' ? e.detail : e.detail?.[lang]) ?? e.message;
      return reply.code(e.status).send(layout(lang, self, `<section class="card"><p class="verdict bad" role="alert">${T[lang].errorTitle}：${esc(msg)}</p></section>`));
    }
  });
};
