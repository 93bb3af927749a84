import { beforeAll, describe, expect, it } from 'vitest';
import { FILE_A, FILE_B, goodData, rid, SAMPLE } from './fixtures/test-sample.js';
import { loadFormFile } from './load.js';
import { checkSubmission, validateSubmission, type AttachmentChecker } from './validate.js';
import { normalizeSchema } from './definition.js';
import type { FormLike } from './types.js';

let form: FormLike;
beforeAll(async () => {
  const def = await loadFormFile(SAMPLE);
  form = { key: def.key, version: 1, schema: def.schema, uiSchema: def.uiSchema };
});

describe('validateSubmission on the sample form (every field kind)', () => {
  it('accepts complete data, and cleans what people type (full-width digits, x, +86, spaces, number amounts)', async () => {
    const d = goodData();
    d.applicant.idNumber = rid('11010519491231002').toLowerCase().replace(/^1/, '１');
    d.applicant.mobile = '+86 138-1234-5678';
    d.fee = 10.5;
    d.employer = ' 91350100m000100y43 ';
    d.child.birthPlace = '530102000000';
    const r = await checkSubmission(form, d, 'zh-CN');
    expect(r.errors).toEqual([]);
    expect(r.data.applicant).toMatchObject({ idNumber: '11010519491231002X', mobile: '13812345678' });
    expect(r.data).toMatchObject({ fee: '10.5', employer: '91350100M000100Y43', child: { birthPlace: '530102' } });
  });

  it('lists EVERY bad field at once, in form order, with zh-CN messages that name the field by its title', async () => {
    const bad = {
      applicant: { name: '', idNumber: '530102199003071239', mobile: '12345', address: { division: '110101', detail: '' } },
      child: { name: '小明', birthDate: '2026-02-30', sex: 'x', birthPlace: '530100' },
      parentsMarried: true,
      marriageCertificate: { typeCode: '11100000000013338W011', identifier: 'abc' },
      unmarriedStatement: 'hidden when married, so ignored',
      employer: '91350100M000100Y44',
      fee: '12.345',
      household: [{ name: '张三', relation: '其他' }, { relation: '父亲', relationNote: 'x', idNumber: '5301021990030712' }],
      materials: [],
      extra: 1,
    };
    const errors = await validateSubmission(form, bad, 'zh-CN');
    expect(errors).toEqual([
      { pointer: '/data/applicant/name', code: 'minLength', message: '「申请人姓名」不能为空' },
      { pointer: '/data/applicant/idNumber', code: 'checksum', message: '「身份证号码」校验位不正确' },
      { pointer: '/data/applicant/mobile', code: 'format', message: '「手机号码」应为11位数字' },
      { pointer: '/data/applicant/address/division', code: 'within', message: '「户籍地址 · 所在地区」须在行政区划 530000 范围内' },
      { pointer: '/data/applicant/address/detail', code: 'minLength', message: '「户籍地址 · 详细地址」不能为空' },
      { pointer: '/data/child/birthDate', code: 'format', message: '「出生日期」不是有效的日期（YYYY-MM-DD）' },
      { pointer: '/data/child/sex', code: 'enum', message: '「性别」只能是：male、female' },
      { pointer: '/data/child/birthPlace', code: 'level', message: '「出生地」应选择到县（市、区）或乡（镇、街道）一级' },
      { pointer: '/data/marriageCertificate', code: 'identifier', message: '「结婚证」的电子证照标识格式不正确（应为 1.2.156.3005.2. 开头的 GB/T 36904 标识）' },
      { pointer: '/data/employer', code: 'checksum', message: '「工作单位统一社会信用代码」校验位不正确' },
      { pointer: '/data/leave', code: 'dependentRequired', message: '「产假期间」为必填项（已填写「工作单位统一社会信用代码」）' },
      { pointer: '/data/fee', code: 'pattern', message: '「工本费」应为以元为单位的金额，最多两位小数，如 1280.50' },
      { pointer: '/data/household/1/name', code: 'required', message: '「同户成员」第 2 行「成员姓名」为必填项' },
      { pointer: '/data/household/1/idNumber', code: 'format', message: '「同户成员」第 2 行「成员身份证号码」应为18位，前17位为数字，最后一位为数字或X' },
      { pointer: '/data/materials', code: 'minItems', message: '「出生医学证明」至少上传 1 个文件' },
      { pointer: '/data/extra', code: 'additionalProperties', message: '「extra」不是本表单的字段' },
    ]);
    const en = await validateSubmission(form, bad, 'en');
    expect(en.map((e) => e.pointer)).toEqual(errors.map((e) => e.pointer));
    expect(en[1]!.message).toBe('Resident ID number has a wrong check digit');
    expect(en[12]!.message).toBe('Household members, row 2, Name is required');
  });

  it('reports missing required fields by title, and a wrong type', async () => {
    const errors = await validateSubmission(form, { applicant: { name: 7 }, child: {} }, 'zh-CN');
    const byPointer = Object.fromEntries(errors.map((e) => [e.pointer, e.message]));
    expect(byPointer).toMatchObject({
      '/data/applicant/name': '「申请人姓名」应为文本',
      '/data/applicant/idNumber': '「身份证号码」为必填项',
      '/data/child/birthDate': '「出生日期」为必填项',
      '/data/parentsMarried': '「父母是否已婚」为必填项',
      '/data/materials': '「出生医学证明」为必填项',
      '/data/fee': '「工本费」为必填项',
    });
    // Without an answer to 父母是否已婚 neither branch's field is shown, so neither is required.
    expect(errors.map((e) => e.pointer)).not.toContain('/data/unmarriedStatement');
    expect(errors.map((e) => e.pointer)).not.toContain('/data/marriageCertificate');
  });

  it('refuses data that is not an object', async () => {
    expect(await validateSubmission(form, [1, 2], 'zh-CN')).toEqual([{ pointer: '/data', code: 'type', message: '「表单」的内容应为各字段组成的对象' }]);
  });
});

describe('conditional fields', () => {
  it('the other branch: unmarried parents need a statement, and a hidden certificate is ignored and dropped', async () => {
    const d = goodData();
    d.parentsMarried = false;
    d.marriageCertificate = { typeCode: 'NOPE', identifier: 'not checked: hidden' };
    let r = await checkSubmission(form, d, 'zh-CN');
    expect(r.errors).toEqual([{ pointer: '/data/unmarriedStatement', code: 'required', message: '「未婚情况说明」为必填项' }]);
    expect(r.hidden).toContain('/marriageCertificate');
    expect(r.hidden).not.toContain('/unmarriedStatement');
    d.unmarriedStatement = '父母未办理结婚登记，特此说明。';
    r = await checkSubmission(form, d, 'zh-CN');
    expect(r.errors).toEqual([]);
    expect(r.data).not.toHaveProperty('marriageCertificate');
    expect(r.data.unmarriedStatement).toBe('父母未办理结婚登记，特此说明。');
  });

  it('married parents must give the certificate (if/then), whose type is checked', async () => {
    const d = goodData();
    delete d.marriageCertificate;
    expect(await validateSubmission(form, d, 'zh-CN')).toEqual([{ pointer: '/data/marriageCertificate', code: 'required', message: '「结婚证」为必填项' }]);
    d.marriageCertificate = { typeCode: '11100000000013338W012', identifier: '1.2.156.3005.2.11100000000013338W012.11530000MB0000000X.1.001.K' };
    expect((await validateSubmission(form, d, 'zh-CN'))[0]).toMatchObject({ code: 'type-not-allowed', message: '「结婚证」的证照类型只能是：11100000000013338W011' });
    d.marriageCertificate = { typeCode: '11100000000013338W011', identifier: '1.2.156.3005.2.11100000000013338W012.11530000MB0000000X.1.001.K' };
    expect((await validateSubmission(form, d, 'zh-CN'))[0]).toMatchObject({ code: 'type-mismatch' });
  });

  it('a table column shown per row (x-visibleIf with * = the same row)', async () => {
    const d = goodData();
    d.household = [{ name: '甲', relation: '父亲', relationNote: 'x' }, { name: '乙', relation: '其他', relationNote: 'x' }];
    const r = await checkSubmission(form, d, 'zh-CN');
    expect(r.hidden).toEqual(['/unmarriedStatement', '/household/0/relationNote']);
    expect(r.errors).toEqual([{ pointer: '/data/household/1/relationNote', code: 'minLength', message: '「同户成员」第 2 行「关系说明」至少需要 2 个字' }]);
  });
});

describe('field kinds', () => {
  const one = (prop: Record<string, unknown>): FormLike => ({ key: 't', schema: normalizeSchema({ type: 'object', properties: { f: { title: '字段', ...prop } } }), uiSchema: {} });
  const errorsOf = async (prop: Record<string, unknown>, value: unknown) => (await validateSubmission(one(prop), { f: value }, 'zh-CN')).map((e) => `${e.code}: ${e.message}`);

  it('resident-id: legacy, region, birth date', async () => {
    const k = { 'x-kind': 'resident-id' };
    expect(await errorsOf(k, '530102900307123')).toEqual(['legacy: 「字段」不支持15位旧号码，请填写18位号码']);
    expect(await errorsOf(k, rid('99010219900307123'))).toEqual(['region: 「字段」的地区码不正确']);
    expect(await errorsOf(k, rid('53010219901307123'))).toEqual(['birthdate: 「字段」中的出生日期不正确']);
  });

  it('credit-code and mobile', async () => {
    expect(await errorsOf({ 'x-kind': 'credit-code' }, 'I1350100M000100Y43')).toEqual(['format: 「字段」应为18位数字或大写字母（不含I、O、S、V、Z）']);
    expect(await errorsOf({ 'x-kind': 'mobile' }, '12812345678')).toEqual(['prefix: 「字段」号段不正确，应以13至19开头']);
  });

  it('division: a code that does not exist, levels and scope', async () => {
    expect(await errorsOf({ 'x-kind': 'division' }, '539999')).toEqual(['unknown: 「字段」不是现行的行政区划']);
    expect(await errorsOf({ 'x-kind': 'division' }, '110101')).toEqual([]);
    expect(await errorsOf({ 'x-kind': 'division', 'x-options': { within: '530100' } }, '530302')).toEqual(['within: 「字段」须在行政区划 530100 范围内']);
  });

  it('date-range: start ≤ end, both dates, at most maxDays', async () => {
    const k = { 'x-kind': 'date-range', 'x-options': { maxDays: 31 } };
    expect(await errorsOf(k, { start: '2026-03-02', end: '2026-03-01' })).toEqual(['order: 「字段」的开始日期不能晚于结束日期']);
    expect(await errorsOf(k, { start: '2026-03-01', end: '2026-04-01' })).toEqual(['too-long: 「字段」不能超过 31 天']);
    expect(await errorsOf(k, { start: '2026-03-01', end: '2026-03-31' })).toEqual([]);
    expect(await errorsOf(k, { start: '2026-03-01' })).toEqual(['required: 「字段 · 结束日期」为必填项']);
    expect(await errorsOf(k, { start: 'tomorrow', end: '2026-03-01' })).toEqual(['format: 「字段 · 开始日期」不是有效的日期（YYYY-MM-DD）']);
  });

  it('money: yuan as a string, two decimals at most, never negative, within min/max (compared in fen)', async () => {
    const k = { 'x-kind': 'money', 'x-options': { min: '0.01', max: '999999.99' } };
    for (const ok of ['0.01', '12', '12.5', '999999.99', 1280.5]) expect(await errorsOf(k, ok)).toEqual([]);
    expect(await errorsOf(k, '-1')).toEqual(['pattern: 「字段」应为以元为单位的金额，最多两位小数，如 1280.50']);
    expect(await errorsOf(k, '01.5')).toHaveLength(1);
    expect(await errorsOf(k, 0.001)).toEqual(['type: 「字段」应为文本']);
    expect(await errorsOf(k, '0')).toEqual(['min: 「字段」不能少于 0.01 元']);
    expect(await errorsOf(k, '1000000')).toEqual(['max: 「字段」不能超过 999999.99 元']);
  });

  it('attachment: count, shape, no duplicates', async () => {
    const k = { 'x-kind': 'attachment', 'x-options': { minCount: 1, maxCount: 2 } };
    expect(await errorsOf(k, [FILE_A, FILE_B, '2d0b7e5a-0c4b-4fa0-9e3c-4b6a8f0d2c33'])).toEqual(['maxItems: 「字段」最多上传 2 个文件']);
    expect(await errorsOf(k, [FILE_A, FILE_A])).toEqual(['uniqueItems: 「字段」不能重复上传同一文件']);
    expect(await errorsOf(k, ['report.pdf'])).toEqual(['format: 「字段」第 1 个文件不是有效的文件编号']);
  });

  it('table: row count', async () => {
    const k = { 'x-kind': 'table', 'x-options': { minRows: 1, maxRows: 2 }, items: { properties: { a: { type: 'string' } } } };
    expect(await errorsOf(k, [])).toEqual(['minItems: 「字段」至少填写 1 行']);
    expect(await errorsOf(k, [{}, {}, {}])).toEqual(['maxItems: 「字段」最多填写 2 行']);
    expect(await errorsOf(k, [{ a: 'x', b: 1 }])).toEqual(['additionalProperties: 「字段」第 1 行「b」不是本表单的字段']);
  });

  it('a title used twice is named with its group', async () => {
    const f: FormLike = {
      key: 't', uiSchema: {},
      schema: normalizeSchema({ type: 'object', properties: {
        father: { type: 'object', title: '父亲', properties: { idNumber: { 'x-kind': 'resident-id', title: '身份证号码' } } },
        mother: { type: 'object', title: '母亲', properties: { idNumber: { 'x-kind': 'resident-id', title: '身份证号码' } } },
      } }),
    };
    const errors = await validateSubmission(f, { father: { idNumber: '530102199003071239' }, mother: { idNumber: '1' } }, 'zh-CN');
    expect(errors.map((e) => e.message)).toEqual(['「父亲 · 身份证号码」校验位不正确', '「母亲 · 身份证号码」应为18位，前17位为数字，最后一位为数字或X']);
  });
});

describe('attachments through the AttachmentChecker hook', () => {
  it('asks the checker about every file with the field\'s rules and reports each refusal', async () => {
    const asked: unknown[] = [];
    const checker: AttachmentChecker = {
      async check(files) {
        asked.push(...files);
        return files.map((f, i) => (i === 0 ? { ok: true } : i === 1 ? { ok: false, reason: 'file-type', mime: 'application/x-msdownload' } : { ok: false, reason: 'file-size', size: 9e6 }));
      },
    };
    const d = goodData();
    d.materials = [FILE_A, FILE_B, '2d0b7e5a-0c4b-4fa0-9e3c-4b6a8f0d2c33'];
    const errors = await validateSubmission(form, d, 'zh-CN', { attachments: checker });
    expect(asked).toEqual([
      { pointer: '/materials/0', fileId: FILE_A, accept: ['application/pdf', 'image/*'], maxSize: 5242880 },
      { pointer: '/materials/1', fileId: FILE_B, accept: ['application/pdf', 'image/*'], maxSize: 5242880 },
      { pointer: '/materials/2', fileId: '2d0b7e5a-0c4b-4fa0-9e3c-4b6a8f0d2c33', accept: ['application/pdf', 'image/*'], maxSize: 5242880 },
    ]);
    expect(errors).toEqual([
      { pointer: '/data/materials/1', code: 'file-type', message: '「出生医学证明」第 2 个文件的类型不符合要求（只接受 application/pdf、image/*）' },
      { pointer: '/data/materials/2', code: 'file-size', message: '「出生医学证明」第 3 个文件超过大小上限 5 MB' },
    ]);
  });

  it('does not look files up when the list itself is wrong', async () => {
    const checker: AttachmentChecker = { check: async () => { throw new Error('must not be called'); } };
    const d = goodData();
    d.materials = [FILE_A, FILE_A];
    expect((await validateSubmission(form, d, 'zh-CN', { attachments: checker })).map((e) => e.code)).toEqual(['uniqueItems']);
  });
});
