import { beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../core/http/errors.js';
import { normalizeSchema } from './definition.js';
import { diffData } from './diff.js';
import { compileForm } from './compile.js';
import { loadFormFile } from './load.js';
import { mergeForms, splitMerged, validateMerged } from './merge.js';
import { goodData, rid, SAMPLE } from './fixtures/test-sample.js';
import type { FormLike } from './types.js';

let birth: FormLike;
// 新生儿医保参保登记: shares the applicant's name, ID number and mobile with the birth registration.
const insurance: FormLike = {
  key: 'newborn-insurance', version: 3, title: { 'zh-CN': '新生儿医保参保登记', en: 'Newborn health insurance' },
  schema: normalizeSchema({
    type: 'object',
    required: ['applicant', 'childName', 'payMethod'],
    properties: {
      applicant: {
        type: 'object', title: '监护人', required: ['name', 'idNumber'],
        properties: {
          name: { type: 'string', title: '监护人姓名', minLength: 1, 'x-field': 'applicant.name' },
          idNumber: { 'x-kind': 'resident-id', title: '监护人身份证号码', 'x-field': 'applicant.idNumber' },
          mobile: { 'x-kind': 'mobile', title: '联系电话', 'x-field': 'applicant.mobile' },
        },
      },
      childName: { type: 'string', title: '参保人姓名', minLength: 1 },
      payMethod: { enum: ['bank', 'cash'], title: '缴费方式' },
      bankAccount: { type: 'string', title: '银行账号', pattern: '^\\d{12,19}$' },
      fee: { 'x-kind': 'money', title: '个人缴费' },
    },
    if: { properties: { payMethod: { const: 'bank' } }, required: ['payMethod'] },
    then: { required: ['bankAccount'] },
  }),
  uiSchema: { bankAccount: { 'x-visibleIf': { field: '/payMethod', equals: 'bank' } } },
};

beforeAll(async () => {
  const def = await loadFormFile(SAMPLE);
  birth = { key: def.key, version: 1, title: def.title, schema: def.schema, uiSchema: def.uiSchema };
});

function mergedData() {
  const g = goodData();
  return {
    applicant: g.applicant,
    'birth-registration': { child: g.child, parentsMarried: true, marriageCertificate: g.marriageCertificate, employer: g.employer, leave: g.leave, fee: g.fee, household: g.household, materials: g.materials },
    'newborn-insurance': { childName: '李小明', payMethod: 'bank', bankAccount: '6222020200112233445', fee: '0' },
  };
}

describe('mergeForms (一件事一次办)', () => {
  it('shows fields with the same x-field once, keeps the rest under each form, and maps every field back', () => {
    const m = mergeForms([birth, insurance]);
    expect(m.forms).toEqual([{ key: 'birth-registration', version: 1, title: birth.title }, { key: 'newborn-insurance', version: 3, title: insurance.title }]);
    expect(Object.keys(m.schema.properties)).toEqual(['applicant', 'birth-registration', 'newborn-insurance']);
    const applicant = m.schema.properties.applicant;
    expect(applicant.title).toBe('申请人');
    expect(Object.keys(applicant.properties)).toEqual(['name', 'idNumber', 'mobile', 'address']);
    expect(applicant.properties.idNumber).toMatchObject({ 'x-kind': 'resident-id', title: '身份证号码' });
    // Required when any form requires it: mobile is optional for insurance, required for the birth form.
    expect(applicant.required).toEqual(['name', 'idNumber', 'mobile', 'address']);
    expect(m.schema.required).toEqual(['applicant', 'birth-registration', 'newborn-insurance']);
    expect(m.schema.properties['birth-registration']).toMatchObject({ title: '出生登记', 'x-title-en': 'Birth registration' });
    expect(Object.keys(m.schema.properties['newborn-insurance'].properties)).toEqual(['childName', 'payMethod', 'bankAccount', 'fee']);
    expect(m.mapping.filter((x) => x.merged === '/applicant/idNumber')).toEqual([
      { form: 'birth-registration', version: 1, pointer: '/applicant/idNumber', merged: '/applicant/idNumber' },
      { form: 'newborn-insurance', version: 3, pointer: '/applicant/idNumber', merged: '/applicant/idNumber' },
    ]);
    expect(m.mapping.find((x) => x.form === 'birth-registration' && x.pointer === '/child/name')!.merged).toBe('/birth-registration/child/name');
  });

  it('rewrites conditions to the merged layout, table rows included', () => {
    const { uiSchema: ui } = mergeForms([birth, insurance]);
    expect(ui['birth-registration'].marriageCertificate['x-visibleIf']).toEqual({ field: '/birth-registration/parentsMarried', equals: true });
    expect(ui['birth-registration'].household.items.relationNote['x-visibleIf']).toEqual({ field: '/birth-registration/household/*/relation', equals: '其他' });
    expect(ui['newborn-insurance'].bankAccount['x-visibleIf']).toEqual({ field: '/newborn-insurance/payMethod', equals: 'bank' });
    expect(ui['ui:order']).toEqual(['applicant', 'birth-registration', 'newborn-insurance']);
  });

  it('a shared field is shown when any form shows it', () => {
    const a: FormLike = { key: 'a', schema: normalizeSchema({ properties: { sms: { type: 'boolean' }, m: { 'x-kind': 'mobile', 'x-field': 'contact.mobile' } } }), uiSchema: { m: { 'x-visibleIf': { field: '/sms', equals: true } } } };
    const b: FormLike = { key: 'b', schema: normalizeSchema({ properties: { post: { type: 'boolean' }, m: { 'x-kind': 'mobile', 'x-field': 'contact.mobile' } } }), uiSchema: { m: { 'x-visibleIf': { field: '/post', equals: true } } } };
    expect(mergeForms([a, b]).uiSchema.contact.mobile['x-visibleIf']).toEqual({ any: [{ field: '/a/sms', equals: true }, { field: '/b/post', equals: true }] });
    const c: FormLike = { key: 'c', schema: normalizeSchema({ properties: { m: { 'x-kind': 'mobile', 'x-field': 'contact.mobile' } } }), uiSchema: {} };
    expect(mergeForms([a, c]).uiSchema.contact.mobile).not.toHaveProperty('x-visibleIf');
  });

  it('carries each form\'s $defs along, namespaced, so the merged schema compiles', () => {
    const withDefs = (key: string): FormLike => ({
      key, uiSchema: {},
      schema: normalizeSchema({ $defs: { code: { type: 'string', pattern: '^[A-Z]{2}$' } }, properties: { c: { $ref: '#/$defs/code', title: '代码' } } }),
    });
    const m = mergeForms([withDefs('a'), withDefs('b')]);
    expect(Object.keys(m.schema.$defs)).toEqual(['a__code', 'b__code']);
    expect(m.schema.properties.a.properties.c.$ref).toBe('#/$defs/a__code');
    const v = compileForm({ key: 'merged', schema: m.schema, uiSchema: m.uiSchema }).validate;
    expect(v({ a: { c: 'AB' }, b: { c: 'x' } })).toBe(false);
    expect(v.errors!.map((e) => e.instancePath)).toEqual(['/b/c']);
  });

  it('refuses conflicting definitions of one x-field, naming both forms', () => {
    const other: FormLike = { key: 'old-form', version: 2, schema: normalizeSchema({ properties: { id: { type: 'integer', 'x-field': 'applicant.idNumber' } } }), uiSchema: {} };
    let err: AppError | undefined;
    try {
      mergeForms([birth, other]);
    } catch (e) {
      err = e as AppError;
    }
    expect(err?.code).toBe('DEFINITION_INVALID');
    expect(err?.errors).toEqual([{ pointer: '/forms/1', code: 'x-field-conflict', message: '字段 applicant.idNumber 的定义冲突：表单 birth-registration v1 中为文本（resident-id），表单 old-form v2 中为整数' }]);
    expect(() => mergeForms([birth, other], 'en')).toThrow(/cannot be merged/);
    expect(() => mergeForms([birth, birth])).toThrow(AppError);
  });
});

describe('splitMerged and validateMerged', () => {
  it('splits merged data into each form\'s own data; shared values go to every form', () => {
    const m = mergeForms([birth, insurance]);
    const parts = splitMerged(m, mergedData());
    expect(parts['birth-registration']!.applicant).toEqual(goodData().applicant);
    expect(parts['newborn-insurance']).toEqual({
      applicant: { name: '李华', idNumber: rid('53010219900307123'), mobile: '13812345678' },
      childName: '李小明', payMethod: 'bank', bankAccount: '6222020200112233445', fee: '0',
    });
    expect(parts['birth-registration']!.fee).toBe('10.50');
  });

  it('validates by each form\'s own rules, reports a shared field once, at its merged place', async () => {
    const m = mergeForms([birth, insurance]);
    const ok = await validateMerged(m, mergedData(), 'zh-CN');
    expect(ok.errors).toEqual([]);
    expect(Object.keys(ok.data)).toEqual(['birth-registration', 'newborn-insurance']);
    const d = mergedData() as any;
    d.applicant.idNumber = '530102199003071239';
    delete d['newborn-insurance'].bankAccount;
    d.unknown = 1;
    const { errors } = await validateMerged(m, d, 'zh-CN');
    expect(errors).toEqual([
      { pointer: '/data/applicant/idNumber', code: 'checksum', message: '「身份证号码」校验位不正确' },
      { pointer: '/data/newborn-insurance/bankAccount', code: 'required', message: '「银行账号」为必填项' },
      { pointer: '/data/unknown', code: 'additionalProperties', message: '「unknown」不是本表单的字段' },
    ]);
  });
});

describe('diffData', () => {
  it('lists changed fields with before and after, rows by index, lists of values as one value', () => {
    const before = goodData();
    const after = goodData();
    after.applicant.mobile = '13900000000';
    after.household[1].name = '王芳芳';
    after.household.push({ name: '李老', relation: '祖父母' });
    after.materials = [after.materials[0], '1c9a6d4f-9b3a-4e9f-8d2b-3a5f7e9c1b22'];
    delete after.employer;
    after.unmarriedStatement = '说明';
    expect(diffData(before, after)).toEqual([
      { pointer: '/applicant/mobile', op: 'replace', before: '13812345678', after: '13900000000' },
      { pointer: '/employer', op: 'remove', before: '91350100M000100Y43' },
      { pointer: '/household/1/name', op: 'replace', before: '王芳', after: '王芳芳' },
      { pointer: '/household/2', op: 'add', after: { name: '李老', relation: '祖父母' } },
      { pointer: '/materials', op: 'replace', before: before.materials, after: after.materials },
      { pointer: '/unmarriedStatement', op: 'add', after: '说明' },
    ]);
    expect(diffData(before, before)).toEqual([]);
  });

  it('labels each change with the field\'s title when given the form', () => {
    const after = goodData();
    after.household[1].name = '王芳芳';
    expect(diffData(goodData(), after, birth)).toEqual([{ pointer: '/household/1/name', op: 'replace', before: '王芳', after: '王芳芳', label: '「同户成员」第 2 行「成员姓名」' }]);
  });
});
