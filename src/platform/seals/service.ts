// The seal registry, authorization of seal use, the usage log, and sealPdf. seals:seal.manage
// manages seals and seals:seal.read reads them, each in the seal's division subtree; USING a seal needs neither: it needs an
// active authorization of the caller's own account for that seal.
import { createHash, randomUUID } from 'node:crypto';
import type { Core } from '../../core/index.js';
import type { Principal } from '../../core/http/auth.js';
import { scopesFor } from '../../core/http/auth.js';
import type { Actor } from '../../core/audit/record.js';
import { audit, recordChange } from '../../core/audit/record.js';
import { AppError, type Lang } from '../../core/http/errors.js';
import { getDivision, isWithin } from '../../core/divisions/service.js';
import { signerCertificate } from './ca.js';
import { drawRoundSeal, drawSquareSeal } from './draw.js';
import { embedCjkFont } from './font.js';
import { signPdfDocument } from './sign-pdf.js';

export const SEAL_MANAGE = 'seals:seal.manage';
export const SEAL_READ = 'seals:seal.read';

export interface Caller {
  principal: Principal;
  actor: Actor;
  lang: Lang;
}

export interface SealInput {
  kind: 'organization' | 'personal';
  name: string;
  purpose?: string | null;
  /** The organization's credit code (organization seals). */
  ownerCode?: string | null;
  division: string;
  departmentId?: string | null;
  /** The person's account (personal signatures). */
  accountId?: string | null;
}

export interface SealView {
  id: string;
  kind: 'organization' | 'personal';
  name: string;
  purpose: string | null;
  ownerCode: string | null;
  division: string;
  departmentId: string | null;
  accountId: string | null;
  status: 'active' | 'revoked';
  certificate: { id: string; subject: string; notAfter: string };
  createdAt: string;
}

const may = (p: Principal, perm: string, division: string) => scopesFor(p, perm).some((s) => isWithin(division, s));
const sealNotFound = () => new AppError('NOT_FOUND', { 'zh-CN': '印章不存在', en: 'No such seal' });

async function sealRow(core: Core, id: string) {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  return (await core.db.selectFrom('seal as s').innerJoin('seal_certificate as c', 'c.id', 's.certificate_id')
    .select(['s.id', 's.kind', 's.name', 's.purpose', 's.owner_code', 's.division', 's.department_id', 's.account_id', 's.status', 's.created_at', 's.certificate_id', 'c.subject', 'c.not_after'])
    .where('s.id', '=', id).executeTakeFirst()) ?? null;
}

const view = (r: NonNullable<Awaited<ReturnType<typeof sealRow>>>): SealView => ({
  id: r.id, kind: r.kind, name: r.name, purpose: r.purpose, ownerCode: r.owner_code, division: r.division, departmentId: r.department_id, accountId: r.account_id,
  status: r.status, certificate: { id: r.certificate_id, subject: r.subject, notAfter: new Date(r.not_after).toISOString() }, createdAt: new Date(r.created_at).toISOString(),
});

export async function createSeal(core: Core, caller: Caller, input: SealInput): Promise<SealView> {
  if (!(await getDivision(core.db, input.division))) throw new AppError('VALIDATION_FAILED', undefined, [{ pointer: '/body/division', code: 'unknown', message: caller.lang === 'en' ? 'Unknown division' : '行政区划不存在' }]);
  if (!may(caller.principal, SEAL_MANAGE, input.division)) throw new AppError('FORBIDDEN', { 'zh-CN': `您无权操作行政区划 ${input.division} 的数据`, en: `You may not act in division ${input.division}` });
  if (input.kind === 'personal' && !input.accountId) throw new AppError('VALIDATION_FAILED', undefined, [{ pointer: '/body/accountId', code: 'required', message: caller.lang === 'en' ? 'A personal signature belongs to an account' : '个人签名章须指定本人账号' }]);
  const id = randomUUID();
  // The certificate is made first (OpenSSL, outside the transaction); an unused certificate is harmless.
  const cert = await signerCertificate(core, `seal:${id}`, { organization: input.kind === 'organization' ? input.name : `${input.name}（个人）`, name: `${input.name}${input.purpose ?? ''}`, ...(input.ownerCode ? { serialNumber: input.ownerCode } : {}) });
  await core.db.transaction().execute(async (tx) => {
    await tx.insertInto('seal').values({
      id, kind: input.kind, name: input.name, purpose: input.purpose ?? null, owner_code: input.ownerCode ?? null, division: input.division,
      department_id: input.departmentId ?? null, account_id: input.accountId ?? null, certificate_id: cert.certificateId, created_by: caller.actor.id,
    }).execute();
    await recordChange(tx, caller.actor, { action: 'seals.seal.create', object: { type: 'seal', id }, division: input.division, detail: { kind: input.kind, name: input.name, purpose: input.purpose ?? null } },
      { type: 'seals.seal.created', payload: { id, kind: input.kind, name: input.name } });
  });
  return view((await sealRow(core, id))!);
}

export async function getSeal(core: Core, caller: Caller, id: string): Promise<SealView> {
  const r = await sealRow(core, id);
  if (!r || !(may(caller.principal, SEAL_READ, r.division) || may(caller.principal, SEAL_MANAGE, r.division))) throw sealNotFound();
  return view(r);
}

export async function listSeals(core: Core, caller: Caller, division: string): Promise<SealView[]> {
  if (!may(caller.principal, SEAL_READ, division) && !may(caller.principal, SEAL_MANAGE, division)) throw new AppError('FORBIDDEN', { 'zh-CN': `您无权查看行政区划 ${division} 的数据`, en: `You may not read division ${division}` });
  const ids = await core.db.selectFrom('seal').select('id').where('division', '=', division).orderBy('created_at').execute();
  return Promise.all(ids.map(async (r) => view((await sealRow(core, r.id))!)));
}

export async function authorizeSeal(core: Core, caller: Caller, sealId: string, input: { accountId: string; expiresAt?: string | null }): Promise<{ id: string; sealId: string; accountId: string; expiresAt: string | null }> {
  const seal = await sealRow(core, sealId);
  if (!seal || !may(caller.principal, SEAL_MANAGE, seal.division)) throw sealNotFound();
  const expires = input.expiresAt ? new Date(input.expiresAt) : null;
  if (expires && expires <= core.clock.now()) throw new AppError('VALIDATION_FAILED', undefined, [{ pointer: '/body/expiresAt', code: 'range', message: caller.lang === 'en' ? 'The expiry must be in the future' : '授权截止时间须在将来' }]);
  return core.db.transaction().execute(async (tx) => {
    const account = await tx.selectFrom('account').select(['id', 'type']).where('id', '=', input.accountId).executeTakeFirst();
    if (!account) throw new AppError('VALIDATION_FAILED', undefined, [{ pointer: '/body/accountId', code: 'unknown', message: caller.lang === 'en' ? 'Unknown account' : '账号不存在' }]);
    await tx.updateTable('seal_authorization').set({ revoked_at: core.clock.now() }).where('seal_id', '=', sealId).where('account_id', '=', input.accountId).where('revoked_at', 'is', null).execute();
    const a = await tx.insertInto('seal_authorization').values({ seal_id: sealId, account_id: input.accountId, granted_by: caller.actor.id, expires_at: expires }).returning(['id']).executeTakeFirstOrThrow();
    await recordChange(tx, caller.actor, { action: 'seals.authorization.grant', object: { type: 'seal', id: sealId }, division: seal.division, detail: { accountId: input.accountId, expiresAt: expires?.toISOString() ?? null } },
      { type: 'seals.authorization.granted', payload: { sealId, accountId: input.accountId } });
    return { id: a.id, sealId, accountId: input.accountId, expiresAt: expires?.toISOString() ?? null };
  });
}

export async function revokeSealAuthorization(core: Core, caller: Caller, sealId: string, authorizationId: string): Promise<void> {
  const seal = await sealRow(core, sealId);
  if (!seal || !may(caller.principal, SEAL_MANAGE, seal.division)) throw sealNotFound();
  await core.db.transaction().execute(async (tx) => {
    const r = await tx.updateTable('seal_authorization').set({ revoked_at: core.clock.now() }).where('id', '=', authorizationId).where('seal_id', '=', sealId).where('revoked_at', 'is', null).returning(['account_id']).executeTakeFirst();
    if (!r) throw new AppError('NOT_FOUND', { 'zh-CN': '授权不存在或已撤销', en: 'No such active authorization' });
    await recordChange(tx, caller.actor, { action: 'seals.authorization.revoke', object: { type: 'seal', id: sealId }, division: seal.division, detail: { authorizationId, accountId: r.account_id } },
      { type: 'seals.authorization.revoked', payload: { sealId, authorizationId } });
  });
}

export async function revokeSeal(core: Core, caller: Caller, sealId: string, reason: string): Promise<SealView> {
  const seal = await sealRow(core, sealId);
  if (!seal || !may(caller.principal, SEAL_MANAGE, seal.division)) throw sealNotFound();
  await core.db.transaction().execute(async (tx) => {
    await tx.updateTable('seal').set({ status: 'revoked' }).where('id', '=', sealId).execute();
    await tx.updateTable('seal_certificate').set({ retired_at: core.clock.now() }).where('id', '=', seal.certificate_id).execute();
    await recordChange(tx, caller.actor, { action: 'seals.seal.revoke', object: { type: 'seal', id: sealId }, division: seal.division, detail: { reason } }, { type: 'seals.seal.revoked', payload: { sealId, reason } });
  });
  return view((await sealRow(core, sealId))!);
}

/**
 * Stamps the seal on the last page of `pdfBytes` (bottom right) and signs the PDF with the seal's
 * certificate. The caller's own account must hold an active authorization for the seal; refusals
 * are logged and audited before the error is returned. pdf-lib rewrites the file, so a PDF that
 * already carries signatures loses them: seal before anyone else signs.
 */
export async function sealPdf(core: Core, caller: Caller, sealId: string, pdfBytes: Uint8Array, opts: { purpose?: string } = {}): Promise<Buffer> {
  const seal = await sealRow(core, sealId);
  if (!seal) throw sealNotFound();
  const now = core.clock.now();
  const accountId = /^user:(.+)$/.exec(caller.principal.id)?.[1] ?? null;
  const auth = accountId ? await core.db.selectFrom('seal_authorization').select(['id', 'expires_at']).where('seal_id', '=', sealId).where('account_id', '=', accountId).where('revoked_at', 'is', null).executeTakeFirst() : undefined;
  const refuse = async (reason: string, err: AppError): Promise<never> => {
    await core.db.transaction().execute(async (tx) => {
      await tx.insertInto('seal_usage').values({ seal_id: sealId, actor: caller.actor.id, purpose: opts.purpose ?? null, document_hash: null, outcome: 'refused', reason, at: now }).execute();
      await audit(tx, caller.actor, { action: 'seals.seal.use-refused', object: { type: 'seal', id: sealId }, division: seal.division, purpose: opts.purpose ?? null, detail: { reason } });
    });
    throw err;
  };
  if (!auth) return refuse('not-authorized', new AppError('FORBIDDEN', { 'zh-CN': '您未获授权使用该印章', en: 'You are not authorized to use this seal' }));
  if (auth.expires_at && new Date(auth.expires_at) <= now) return refuse('authorization-expired', new AppError('FORBIDDEN', { 'zh-CN': '您使用该印章的授权已过期', en: 'Your authorization for this seal has expired' }));
  if (seal.status !== 'active') return refuse('seal-revoked', new AppError('INVALID_STATE', { 'zh-CN': '该印章已停用', en: 'This seal has been revoked' }));
  const { PDFDocument } = await import('pdf-lib');
  let doc: Awaited<ReturnType<typeof PDFDocument.load>>;
  try {
    doc = await PDFDocument.load(pdfBytes);
    // pdf-lib is lenient: a header and garbage loads as an empty document.
    if (doc.getPageCount() === 0) throw new Error('no pages');
  } catch {
    throw new AppError('VALIDATION_FAILED', { 'zh-CN': '上传的文件不是有效的 PDF', en: 'The upload is not a valid PDF' }, [{ pointer: '/body', code: 'pdf', message: caller.lang === 'en' ? 'not a readable PDF' : '不是可读取的 PDF 文件' }]);
  }
  const pages = doc.getPages();
  const page = pages[pages.length - 1]!;
  const font = await embedCjkFont(doc);
  const { width } = page.getSize();
  if (seal.kind === 'organization') await drawRoundSeal(page, font, { x: width - 110, y: 110, radius: 58, name: seal.name, purpose: seal.purpose });
  else await drawSquareSeal(page, font, { x: width - 90, y: 90, size: 60, name: seal.name });
  const cert = await signerCertificate(core, `seal:${seal.id}`, { organization: seal.name, name: `${seal.name}${seal.purpose ?? ''}` });
  const signed = await signPdfDocument(doc, cert, { reason: opts.purpose ?? seal.purpose ?? '电子印章', name: seal.name, location: seal.division }, new Date());
  const hash = createHash('sha256').update(signed).digest('hex');
  await core.db.transaction().execute(async (tx) => {
    await tx.insertInto('seal_usage').values({ seal_id: sealId, actor: caller.actor.id, purpose: opts.purpose ?? null, document_hash: hash, outcome: 'sealed', reason: null, at: now }).execute();
    await recordChange(tx, caller.actor, { action: 'seals.seal.use', object: { type: 'seal', id: sealId }, division: seal.division, purpose: opts.purpose ?? null, detail: { documentHash: hash, authorizationId: auth.id } },
      { type: 'seals.seal.used', payload: { sealId, documentHash: hash } });
  });
  return signed;
}

export async function sealUsage(core: Core, caller: Caller, sealId: string) {
  await getSeal(core, caller, sealId);
  const rows = await core.db.selectFrom('seal_usage').selectAll().where('seal_id', '=', sealId).orderBy('at', 'desc').limit(500).execute();
  return rows.map((r) => ({ actor: r.actor, purpose: r.purpose, documentHash: r.document_hash, outcome: r.outcome, reason: r.reason, at: new Date(r.at).toISOString() }));
}
