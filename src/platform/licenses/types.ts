// License types (证照类型): code = the defining body's credit code + 3 digits (GB/T 36904), the
// face-data JSON Schema every license of the type must satisfy, the validity rule, the holder
// kinds (111 citizen ID / 001 credit code) and the trust level (可信等级 A–D).
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { Core } from '../../core/index.js';
import type { Executor } from '../../core/db/types.js';
import { recordChange } from '../../core/audit/record.js';
import { AppError, type FieldError, type Lang } from '../../core/http/errors.js';
import { fieldErrors } from '../../core/http/validation.js';
import { formats, validateUscc } from '../../core/validators/index.js';
import { assertPermission, t, TYPE_MANAGE, type Caller } from './access.js';
import type { Validity } from './tables.js';

export interface LicenseTypeInput {
  code: string;
  name: string;
  definerName: string;
  holderKinds: Array<'111' | '001'>;
  faceSchema: Record<string, unknown>;
  validity: Validity;
  trustLevel: 'A' | 'B' | 'C' | 'D';
}

export interface LicenseTypeView extends LicenseTypeInput {
  createdAt: string;
}

const ajv = new Ajv({ allErrors: true, strict: false, formats });
(addFormats as unknown as (a: Ajv) => void)(ajv);
const compiled = new Map<string, ValidateFunction>();

/** The compiled face-data validator of a type (types are immutable; the key includes the schema
 *  so that two databases in one process cannot share a stale validator). */
function faceValidator(code: string, schema: Record<string, unknown>): ValidateFunction {
  const key = `${code}:${JSON.stringify(schema)}`;
  let v = compiled.get(key);
  if (!v) {
    v = ajv.compile(schema);
    compiled.set(key, v);
  }
  return v;
}

export function checkFaceData(type: Pick<LicenseTypeView, 'code' | 'faceSchema'>, data: unknown, lang: Lang, pointer = 'body/faceData'): FieldError[] {
  const v = faceValidator(type.code, type.faceSchema);
  return v(data) ? [] : fieldErrors(v.errors ?? [], pointer, lang);
}

const view = (r: { code: string; name: string; definer_name: string; holder_kinds: string[]; face_schema: Record<string, unknown>; validity: Validity; trust_level: 'A' | 'B' | 'C' | 'D'; created_at: Date }): LicenseTypeView => ({
  code: r.code, name: r.name, definerName: r.definer_name, holderKinds: r.holder_kinds as Array<'111' | '001'>,
  faceSchema: r.face_schema, validity: r.validity, trustLevel: r.trust_level, createdAt: new Date(r.created_at).toISOString(),
});

export async function getLicenseType(ex: Executor, code: string): Promise<LicenseTypeView | null> {
  const r = await ex.selectFrom('license_type').selectAll().where('code', '=', code).executeTakeFirst();
  return r ? view(r) : null;
}

export async function listLicenseTypes(core: Core): Promise<LicenseTypeView[]> {
  const rows = await core.db.selectFrom('license_type').selectAll().orderBy('code').execute();
  return rows.map(view);
}

function validateType(input: LicenseTypeInput, lang: Lang): FieldError[] {
  const errors: FieldError[] = [];
  const definer = validateUscc(input.code.slice(0, 18));
  if (!/^[0-9A-Z]{18}\d{3}$/.test(input.code) || !definer.ok) {
    errors.push({ pointer: '/body/code', code: 'format', message: t(lang, { 'zh-CN': '证照类型代码应为定义机构的统一社会信用代码（18位）加3位数字', en: 'The type code is the defining body\'s 18-character credit code plus 3 digits' }) });
  }
  const v = input.validity;
  if (!v.permanent && !(v.years ?? 0) && !(v.months ?? 0)) {
    errors.push({ pointer: '/body/validity', code: 'required', message: t(lang, { 'zh-CN': '有效期规则须为长期或给出年数/月数', en: 'Validity must be permanent or give years/months' }) });
  }
  if (input.faceSchema.type !== 'object') {
    errors.push({ pointer: '/body/faceSchema/type', code: 'const', message: t(lang, { 'zh-CN': '照面信息结构的根类型须为 object', en: 'The face-data schema must describe an object' }) });
  } else {
    try {
      ajv.compile(input.faceSchema);
    } catch (e) {
      errors.push({ pointer: '/body/faceSchema', code: 'schema', message: `${t(lang, { 'zh-CN': '照面信息结构不是有效的 JSON Schema：', en: 'Not a valid JSON Schema: ' })}${(e as Error).message}` });
    }
  }
  if (new Set(input.holderKinds).size !== input.holderKinds.length) {
    errors.push({ pointer: '/body/holderKinds', code: 'uniqueItems', message: t(lang, { 'zh-CN': '持证主体类型不能重复', en: 'Holder kinds repeat' }) });
  }
  return errors;
}

export async function defineLicenseType(core: Core, caller: Caller, input: LicenseTypeInput): Promise<LicenseTypeView> {
  assertPermission(caller.principal, TYPE_MANAGE);
  const errors = validateType(input, caller.lang);
  if (errors.length) throw new AppError('VALIDATION_FAILED', undefined, errors);
  return core.db.transaction().execute(async (tx) => {
    const inserted = await tx.insertInto('license_type')
      .values({
        code: input.code, name: input.name, definer_name: input.definerName, holder_kinds: input.holderKinds,
        face_schema: JSON.stringify(input.faceSchema), validity: JSON.stringify(input.validity), trust_level: input.trustLevel, created_by: caller.actor.id,
      })
      .onConflict((oc) => oc.column('code').doNothing())
      .returningAll()
      .executeTakeFirst();
    // A type is immutable once licenses may carry it: a new definition needs a new code.
    if (!inserted) throw new AppError('CONFLICT', { 'zh-CN': `证照类型代码 ${input.code} 已存在`, en: `License type ${input.code} already exists` });
    await recordChange(tx, caller.actor, { action: 'licenses.type.define', object: { type: 'license_type', id: input.code }, detail: { name: input.name, trustLevel: input.trustLevel } },
      { type: 'licenses.type.defined', payload: { code: input.code, name: input.name } });
    return view(inserted);
  });
}
