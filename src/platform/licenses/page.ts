// The verification page reached from the QR code on a license: /verify/<identifier>. Server-
// rendered, no JavaScript, zh-CN first (?lang=en), accessible (landmarks, a description list,
// status in words not only colour) and readable at 360 px. Shows what the public API shows.
import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Core } from '../../core/index.js';
import { AppError, pickLang, type Lang } from '../../core/http/errors.js';
import { verifyLicense, type VerificationResult } from './verify.js';
import { tags } from './schema.js';

const T = {
  'zh-CN': {
    title: '电子证照核验', site: '云岭政务服务平台', authentic: '证照真实有效：签名验证通过', forged: '签名验证未通过：此证照数据可能被伪造或篡改，请勿采信',
    status: { valid: '有效', expired: '已过期', revoked: '已吊销/注销', superseded: '已换发新版本' }, statusLabel: '状态',
    identifier: '电子证照标识', type: '证照类型', number: '证照编号', issuer: '颁证单位', holder: '持证主体', holderCode: '持证主体代码',
    issuedOn: '颁证日期', validity: '有效期', permanent: '长期', division: '管辖属地', trust: '可信等级', reason: '原因', newer: '新版本',
    checkedAt: '核验时间', other: 'English', otherLang: 'en', errorTitle: '无法核验', note: '持证主体信息已脱敏显示。',
  },
  en: {
    title: 'E-license verification', site: 'Yunling government services', authentic: 'Authentic: the signature verifies', forged: 'Signature check FAILED: this license may be forged or altered; do not rely on it',
    status: { valid: 'Valid', expired: 'Expired', revoked: 'Revoked', superseded: 'Superseded by a new version' }, statusLabel: 'Status',
    identifier: 'Identifier', type: 'License type', number: 'License number', issuer: 'Issuer', holder: 'Holder', holderCode: 'Holder code',
    issuedOn: 'Issued on', validity: 'Valid', permanent: 'permanent', division: 'Jurisdiction', trust: 'Trust level', reason: 'Reason', newer: 'New version',
    checkedAt: 'Checked at', other: '中文', otherLang: 'zh-CN', errorTitle: 'Cannot verify', note: 'Holder details are masked.',
  },
} as const;

export const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export const STYLE = `*{box-sizing:border-box}body{margin:0;font:16px/1.6 system-ui,"WenQuanYi Micro Hei",sans-serif;color:#1f1f1f;background:#f5f5f5}
main{max-width:40rem;margin:0 auto;padding:1rem}header{display:flex;justify-content:space-between;gap:.5rem;flex-wrap:wrap;align-items:baseline}
h1{font-size:1.4rem;margin:.5rem 0}.card{background:#fff;border-radius:8px;padding:1rem;border:1px solid #d9d9d9}
.verdict{font-weight:700;padding:.75rem;border-radius:6px;margin:0 0 1rem}.ok{background:#f6ffed;border:2px solid #237804;color:#135200}
.bad{background:#fff1f0;border:2px solid #a8071a;color:#820014}dl{margin:0;display:grid;grid-template-columns:minmax(6rem,auto) 1fr;gap:.25rem .75rem}
dt{color:#595959}dd{margin:0;overflow-wrap:anywhere}a{color:#0958d9}.note{color:#595959;font-size:.875rem}`;

function layout(lang: Lang, identifier: string, body: string): string {
  const t = T[lang];
  const other = `/verify/${encodeURIComponent(identifier)}?lang=${t.otherLang}`;
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${t.title} · ${t.site}</title><style>${STYLE}</style></head><body><main>
<header><p>${t.site}</p><a href="${esc(other)}" lang="${t.otherLang}">${t.other}</a></header>
<h1>${t.title}</h1>${body}</main></body></html>`;
}

export function renderVerification(lang: Lang, r: VerificationResult): string {
  const t = T[lang];
  const verdict = r.signatureValid && r.status === 'valid'
    ? `<p class="verdict ok" role="status">✔ ${t.authentic} · ${t.status.valid}</p>`
    : r.signatureValid
      ? `<p class="verdict bad" role="status">⚠ ${t.statusLabel}：${t.status[r.status]}</p>`
      : `<p class="verdict bad" role="alert">✘ ${t.forged}</p>`;
  const row = (k: string, v: string | null | undefined) => (v ? `<dt>${k}</dt><dd>${esc(v)}</dd>` : '');
  const rows = [
    row(t.statusLabel, t.status[r.status]), row(t.reason, r.statusReason), row(t.newer, r.supersededBy),
    row(t.type, `${r.typeName} (${r.typeCode})`), row(t.number, r.licenseNumber), row(t.issuer, `${r.issuer.name} (${r.issuer.code})`),
    row(t.holder, r.holder.name), row(t.holderCode, r.holder.code), row(t.issuedOn, r.issuedOn),
    row(t.validity, `${r.validFrom} – ${r.validUntil ?? t.permanent}`), row(t.division, r.division), row(t.trust, r.trustLevel),
    row(t.identifier, r.identifier), row(t.checkedAt, r.checkedAt),
  ].join('');
  return layout(lang, r.identifier, `<section class="card" aria-labelledby="v-h">${verdict}<h2 id="v-h" class="note">${esc(r.typeName)}</h2><dl>${rows}</dl><p class="note">${t.note}</p></section>`);
}

export function renderVerificationError(lang: Lang, identifier: string, message: string): string {
  return layout(lang, identifier, `<section class="card"><p class="verdict bad" role="alert">${T[lang].errorTitle}：${esc(message)}</p><p class="note">${esc(identifier)}</p></section>`);
}

export const verifyPageRoutes = (core: Core) => async (app: FastifyInstance) => {
  app.get('/verify/:identifier', {
    config: { public: true },
    schema: { tags, summary: '证照核验页面 Verification page (HTML, from the QR code)', params: Type.Object({ identifier: Type.String({ maxLength: 200 }) }), querystring: Type.Object({ lang: Type.Optional(Type.String({ enum: ['zh-CN', 'en'] })) }) },
  }, async (req, reply) => {
    const q = req.query as { lang?: Lang };
    const lang: Lang = q.lang ?? pickLang(req.headers['accept-language']);
    const id = (req.params as { identifier: string }).identifier;
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
    try {
      return renderVerification(lang, await verifyLicense(core, id, lang));
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      const msg = e.errors?.[0]?.message ?? (typeof e.detail === 'string' ? e.detail : e.detail?.[lang]) ?? e.message;
      return reply.code(e.status).send(renderVerificationError(lang, id, msg));
    }
  });
};
