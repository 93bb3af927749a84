// `applicant.*` facts: the applicant's account. The resident ID number (and what derives from
// it: birth date, sex, age) is decrypted only when a rule refers to one of those facts, and each
// such read is written to the audit log (a read of personal data), with the evaluation's actor and
// purpose.
// The account is read through the evaluation's executor (the caller's transaction, if any), not
// through identity's getAccount(core, id): that getter reads through the pool, which on PGlite
// (one connection) would wait for ever behind an open transaction. Identity exports no
// executor-taking getter nor one for the decrypted ID number yet, so the columns are read here
// and decrypted with identity's revealField.
import { audit } from '../../core/audit/record.js';
import { validateResidentId } from '../../core/validators/index.js';
import { revealField } from '../identity/accounts.js';
import { ageOn } from './operators.js';
import { registerFactProvider, setApplicantSubject, type FactContext } from './facts.js';
import type { FactLabel, RegistrySubject } from './types.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const l = (zh: string, en: string, values?: FactLabel['values']): FactLabel => ({ 'zh-CN': zh, en, ...(values ? { values } : {}) });

export const APPLICANT_LABELS: Record<string, FactLabel> = {
  'applicant.id': l('申请人账号', 'Applicant account'),
  'applicant.type': l('申请人类型', 'Applicant type', {
    citizen: { 'zh-CN': '自然人', en: 'citizen' }, enterprise: { 'zh-CN': '法人', en: 'legal person' }, staff: { 'zh-CN': '工作人员', en: 'staff' },
  }),
  'applicant.name': l('申请人姓名', 'Applicant name'),
  'applicant.division': l('申请人所属行政区划', 'Applicant division'),
  'applicant.status': l('申请人账号状态', 'Applicant account status', { active: { 'zh-CN': '正常', en: 'active' }, disabled: { 'zh-CN': '停用', en: 'disabled' } }),
  'applicant.uscc': l('统一社会信用代码', 'Unified social credit code'),
  'applicant.legalRepresentative': l('法定代表人', 'Legal representative'),
  'applicant.idNumber': l('申请人身份证号码', 'Applicant ID number'),
  'applicant.birthDate': l('申请人出生日期', 'Applicant date of birth'),
  'applicant.sex': l('申请人性别', 'Applicant sex', { male: { 'zh-CN': '男', en: 'male' }, female: { 'zh-CN': '女', en: 'female' } }),
  'applicant.age': l('申请人年龄', 'Applicant age'),
};

function accountId(ctx: FactContext): string | null {
  const raw = ctx.input.applicant;
  if (!raw) return null;
  const id = raw.startsWith('user:') ? raw.slice(5) : raw;
  return UUID.test(id) ? id : null;
}

interface ApplicantAccount {
  id: string;
  type: string;
  name: string;
  division: string;
  status: string;
  uscc: string | null;
  legalRepresentative: string | null;
  idNumberEnc: Buffer | null;
}

function account(ctx: FactContext): Promise<ApplicantAccount | null> {
  const id = accountId(ctx);
  const db = ctx.db;
  if (!id || !db) return Promise.resolve(null);
  return ctx.once('applicant:account', async () => {
    const r = await db.selectFrom('account')
      .select(['id', 'type', 'name', 'division', 'status', 'uscc', 'legal_representative', 'id_number_enc'])
      .where('id', '=', id).executeTakeFirst();
    return r ? { id: r.id, type: r.type, name: r.name, division: r.division, status: r.status, uscc: r.uscc, legalRepresentative: r.legal_representative, idNumberEnc: r.id_number_enc } : null;
  });
}

/** The applicant's full resident ID number, or null; the decryption is audited. */
function idNumber(ctx: FactContext): Promise<string | null> {
  return ctx.once('applicant:idNumber', async () => {
    const a = await account(ctx);
    const core = ctx.core;
    if (!a?.idNumberEnc || !core || !ctx.db) return null;
    const value = revealField(core, a.idNumberEnc, 'id');
    await audit(ctx.db, ctx.input.actor ?? { id: 'system:rules' }, {
      action: 'rules.fact.reveal', object: { type: 'account', id: a.id }, division: a.division,
      purpose: ctx.input.purpose ?? 'rules evaluation', detail: { fact: 'applicant.idNumber' },
    });
    return value;
  });
}

async function provide([field, ...rest]: string[], ctx: FactContext): Promise<unknown> {
  if (rest.length) return undefined;
  switch (field) {
    case 'idNumber':
      return (await idNumber(ctx)) ?? undefined;
    case 'birthDate':
    case 'sex':
    case 'age': {
      const id = await idNumber(ctx);
      const r = id ? validateResidentId(id) : null;
      if (!r?.ok) return undefined;
      if (field === 'birthDate') return r.birthDate;
      if (field === 'sex') return r.sex;
      return ageOn(r.birthDate, ctx.at);
    }
    case 'id':
    case 'type':
    case 'name':
    case 'division':
    case 'status':
    case 'uscc':
    case 'legalRepresentative': {
      const a = await account(ctx);
      return a ? (a[field] ?? undefined) : undefined;
    }
    default:
      return undefined;
  }
}

registerFactProvider('applicant', provide, { labels: APPLICANT_LABELS });

setApplicantSubject(async (ctx): Promise<RegistrySubject | null> => {
  const a = await account(ctx);
  if (!a) return null;
  if (a.type === 'enterprise') return a.uscc ? { uscc: a.uscc } : null;
  const id = await idNumber(ctx);
  return id ? { idNumber: id } : null;
});
