// Issuing, superseding and revoking licenses. issueLicense runs in the CALLER's transaction so
// that the services module can issue from a finished case atomically with the case itself.
import { createHash } from 'node:crypto';
import type { Core } from '../../core/index.js';
import type { Executor } from '../../core/db/types.js';
import { recordChange } from '../../core/audit/record.js';
import { AppError, type FieldError } from '../../core/http/errors.js';
import { getDivision } from '../../core/divisions/service.js';
import { maskResidentId, validateResidentId, validateUscc } from '../../core/validators/index.js';
import { assertMayIn, chinaDate, ISSUE, licenseNotFound, mayIn, t, type Caller } from './access.js';
import { formatIdentifier, parseIdentifier, randomSerial } from './identifier.js';
import { canonicalize, type LicenseDocument } from './canonical.js';
import { issuerKey } from './keys.js';
import { checkFaceData, getLicenseType, type LicenseTypeView } from './types.js';
import { holderBlindIndex, licenseView, type LicenseView } from './view.js';

export interface IssueInput {
  typeCode: string;
  issuerCode: string;
  issuerName: string;
  /** 证照所属管辖属地编码: the division the license belongs to (scope of issuer and readers). */
  division: string;
  holder: { name: string; codeType: '111' | '001'; code: string };
  licenseNumber?: string;
  /** Defaults: today (China time); validFrom = issuedOn; validUntil from the type's rule. */
  issuedOn?: string;
  validFrom?: string;
  validUntil?: string | null;
  faceData: Record<string, unknown>;
  /** The case number or other reference this license was issued for. */
  caseRef?: string;
  /** A new version of this license (same serial, version + 1); the old one becomes superseded. */
  supersedes?: string;
  idempotencyKey?: string;
}

const bad = (pointer: string, code: string, message: string): FieldError => ({ pointer, code, message });

function addTerm(from: string, v: { years?: number; months?: number }): string {
  const d = new Date(`${from}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + (v.years ?? 0) * 12 + (v.months ?? 0));
  d.setUTCDate(d.getUTCDate() - 1); // a 3-year license from 2026-11-27 runs to 2029-11-26 inclusive
  return d.toISOString().slice(0, 10);
}

const isDate = (s: string | undefined | null): boolean => !!s && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

function requestHash(input: IssueInput): string {
  const { idempotencyKey: _k, ...rest } = input;
  return createHash('sha256').update(canonicalize(rest as unknown as LicenseDocument)).digest('base64url');
}

export interface CheckedIssue {
  errors: FieldError[];
  type: LicenseTypeView | null;
  previous: Awaited<ReturnType<typeof loadForUpdate>> | null;
  issuedOn: string;
  validFrom: string;
  validUntil: string | null;
}

/**
 * Every problem of an issuance at once (pointers under `prefix`), without writing anything. A
 * division outside the caller's issuing scope is a 403, not a field error.
 */
export async function checkIssue(core: Core, tx: Executor, caller: Caller, input: IssueInput, prefix = '/body'): Promise<CheckedIssue> {
  const L = caller.lang;
  const errors: FieldError[] = [];
  const type = await getLicenseType(tx, input.typeCode);
  if (!type) errors.push(bad(`${prefix}/typeCode`, 'unknown', t(L, { 'zh-CN': '证照类型不存在', en: 'Unknown license type' })));
  if (!validateUscc(input.issuerCode).ok) errors.push(bad(`${prefix}/issuerCode`, 'uscc', t(L, { 'zh-CN': '颁证单位代码不是有效的统一社会信用代码', en: 'The issuer code is not a valid unified social credit code' })));
  const division = await getDivision(tx, input.division);
  if (!division) errors.push(bad(`${prefix}/division`, 'unknown', t(L, { 'zh-CN': '管辖属地区划代码不存在', en: 'Unknown division code' })));
  const h = input.holder;
  const holderOk = h.codeType === '111' ? validateResidentId(h.code).ok : validateUscc(h.code).ok;
  if (!holderOk) errors.push(bad(`${prefix}/holder/code`, h.codeType === '111' ? 'resident-id' : 'uscc', t(L, h.codeType === '111' ? { 'zh-CN': '持证主体代码不是有效的公民身份号码', en: 'Not a valid resident ID number' } : { 'zh-CN': '持证主体代码不是有效的统一社会信用代码', en: 'Not a valid unified social credit code' })));
  if (type && !type.holderKinds.includes(h.codeType)) errors.push(bad(`${prefix}/holder/codeType`, 'enum', t(L, { 'zh-CN': `该类证照的持证主体代码类型只能是 ${type.holderKinds.join('、')}`, en: `This license type accepts holder code types ${type.holderKinds.join(', ')}` })));
  if (type) errors.push(...checkFaceData(type, input.faceData, L, `${prefix}/faceData`.slice(1)));
  for (const f of ['issuedOn', 'validFrom', 'validUntil'] as const) {
    if (input[f] !== undefined && input[f] !== null && !isDate(input[f])) errors.push(bad(`${prefix}/${f}`, 'format', t(L, { 'zh-CN': '日期格式应为 YYYY-MM-DD', en: 'Dates are YYYY-MM-DD' })));
  }
  let previous: Awaited<ReturnType<typeof loadForUpdate>> | null = null;
  if (input.supersedes) {
    previous = await loadForUpdate(tx, input.supersedes);
    if (!previous || !mayIn(caller.principal, ISSUE, previous.division)) errors.push(bad(`${prefix}/supersedes`, 'unknown', t(L, { 'zh-CN': '要换发的电子证照不存在', en: 'The license to supersede does not exist' })));
    else if (previous.status !== 'valid') errors.push(bad(`${prefix}/supersedes`, 'status', t(L, { 'zh-CN': '只有有效的电子证照才能换发新版本', en: 'Only a valid license can be superseded' })));
    else if (previous.type_code !== input.typeCode || previous.issuer_code !== input.issuerCode || previous.holder_code_bidx !== holderBlindIndex(core, h.code)) {
      errors.push(bad(`${prefix}/supersedes`, 'mismatch', t(L, { 'zh-CN': '新版本的证照类型、颁证单位和持证主体须与原证照一致', en: 'A new version keeps the type, issuer and holder of the old one' })));
    }
  }
  if (division) assertMayIn(caller.principal, ISSUE, input.division);
  const issuedOn = input.issuedOn ?? chinaDate(core.clock.now());
  const validFrom = input.validFrom ?? issuedOn;
  const validUntil = input.validUntil !== undefined ? input.validUntil : type && !type.validity.permanent ? addTerm(validFrom, type.validity) : null;
  if (validUntil && isDate(validUntil) && isDate(validFrom) && validUntil < validFrom) errors.push(bad(`${prefix}/validUntil`, 'range', t(L, { 'zh-CN': '有效期止不能早于有效期起', en: 'validUntil is before validFrom' })));
  return { errors, type, previous, issuedOn, validFrom, validUntil };
}

/** Issues (signs and stores) a license in `tx`. Every bad field is reported at once. */
export async function issueLicense(core: Core, tx: Executor, caller: Caller, input: IssueInput): Promise<LicenseView> {
  if (input.idempotencyKey) {
    const prior = await tx.selectFrom('license').selectAll().where('created_by', '=', caller.actor.id).where('idempotency_key', '=', input.idempotencyKey).executeTakeFirst();
    if (prior) {
      if (prior.idempotency_hash !== requestHash(input)) throw new AppError('IDEMPOTENCY_CONFLICT');
      return licenseView(core, prior, core.clock.now());
    }
  }
  const { errors, type, previous, issuedOn, validFrom, validUntil } = await checkIssue(core, tx, caller, input);
  const h = input.holder;
  if (errors.length || !type) throw new AppError('VALIDATION_FAILED', undefined, errors);

  const key = await issuerKey(core, tx, input.issuerCode);
  const serial = previous?.serial ?? randomSerial();
  const version = (previous?.version ?? 0) + 1;
  const identifier = formatIdentifier({ typeCode: type.code, issuerCode: input.issuerCode, serial, version: String(version).padStart(3, '0') });
  const doc: LicenseDocument = {
    v: 1, identifier, typeCode: type.code, typeName: type.name, licenseNumber: input.licenseNumber ?? serial,
    holder: { name: h.name.normalize('NFC'), codeType: h.codeType, code: h.code.toUpperCase() },
    issuer: { name: input.issuerName, code: input.issuerCode }, issuedOn, validFrom, validUntil, jurisdiction: input.division,
    trustLevel: type.trustLevel, faceData: input.faceData, keyId: key.keyId, algorithm: key.pair.algorithm,
  };
  const canonical = canonicalize(doc);
  const signature = core.crypto.sign(key.pair, Buffer.from(canonical, 'utf8'));
  const row = await tx.insertInto('license').values({
    identifier, type_code: type.code, serial, version, issuer_code: input.issuerCode, issuer_name: input.issuerName, division: input.division,
    holder_name: doc.holder.name, holder_code_type: h.codeType, holder_code_enc: core.crypto.encrypt(core.keys.field, doc.holder.code, Buffer.from('license.holder_code')),
    holder_code_bidx: holderBlindIndex(core, doc.holder.code), holder_code_masked: h.codeType === '111' ? maskResidentId(doc.holder.code) : doc.holder.code,
    license_number: doc.licenseNumber, issued_on: issuedOn, valid_from: validFrom, valid_until: validUntil, face_data: JSON.stringify(input.faceData),
    canonical, signature, key_id: key.keyId, case_ref: input.caseRef ?? null, idempotency_key: input.idempotencyKey ?? null,
    idempotency_hash: input.idempotencyKey ? requestHash(input) : null, created_by: caller.actor.id,
  }).returningAll().executeTakeFirstOrThrow();
  if (previous) {
    await tx.updateTable('license').set({ status: 'superseded', status_at: core.clock.now(), superseded_by: identifier }).where('id', '=', previous.id).execute();
    await recordChange(tx, caller.actor, { action: 'licenses.license.supersede', object: { type: 'license', id: previous.identifier }, division: previous.division, detail: { by: identifier } },
      { type: 'licenses.license.superseded', payload: { identifier: previous.identifier, by: identifier } });
  }
  await recordChange(tx, caller.actor, { action: 'licenses.license.issue', object: { type: 'license', id: identifier }, division: input.division, purpose: input.caseRef ?? null, detail: { typeCode: type.code, issuerCode: input.issuerCode, version, caseRef: input.caseRef ?? null } },
    { type: 'licenses.license.issued', payload: { identifier, typeCode: type.code, issuerCode: input.issuerCode, division: input.division, caseRef: input.caseRef ?? null, holderCodeType: h.codeType } });
  return licenseView(core, row, core.clock.now());
}

async function loadForUpdate(tx: Executor, identifier: string) {
  const parsed = parseIdentifier(identifier);
  if (!parsed.ok) return null;
  return (await tx.selectFrom('license').selectAll().where('identifier', '=', identifier.trim().toUpperCase()).forUpdate().executeTakeFirst()) ?? null;
}

/** Revokes a valid license (吊销/注销) with a reason; a second revocation is refused (409). */
export async function revokeLicense(core: Core, caller: Caller, identifier: string, reason: string): Promise<LicenseView> {
  return core.db.transaction().execute(async (tx) => {
    const row = await loadForUpdate(tx, identifier);
    if (!row || !mayIn(caller.principal, ISSUE, row.division)) throw licenseNotFound();
    if (row.status !== 'valid') throw new AppError('INVALID_STATE', { 'zh-CN': `该电子证照当前状态为 ${row.status}，不能吊销`, en: `The license is ${row.status}; it cannot be revoked` });
    const updated = await tx.updateTable('license').set({ status: 'revoked', status_reason: reason, status_at: core.clock.now() }).where('id', '=', row.id).returningAll().executeTakeFirstOrThrow();
    await recordChange(tx, caller.actor, { action: 'licenses.license.revoke', object: { type: 'license', id: row.identifier }, division: row.division, detail: { reason } },
      { type: 'licenses.license.revoked', payload: { identifier: row.identifier, reason } });
    return licenseView(core, updated, core.clock.now());
  });
}
