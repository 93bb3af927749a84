// The form renderer's reading of a forms-engine form: every field kind, order, labels, required
// marks (static and conditional), x-visibleIf (incl. table rows), hidden values dropped, and
// problem+json pointers mapped to the fields they name.
import { describe, expect, it } from 'vitest';
import { compact, conditionallyRequired, dataPath, divisionChain, fieldFor, fieldsOf, flatten, isVisible, materialIndex, visibleData } from './schema';

// The shape the forms engine serves (normalised: kinds expanded, x-kind and x-options kept), after
// the fixture platform/forms/fixtures/birth-registration.yaml.
const schema = {
  type: 'object',
  required: ['applicant', 'child', 'parentsMarried', 'materials', 'fee'],
  properties: {
    applicant: {
      type: 'object', title: '申请人', 'x-title-en': 'Applicant', required: ['name', 'idNumber', 'mobile', 'address'],
      properties: {
        name: { type: 'string', title: '申请人姓名', minLength: 1 },
        idNumber: { type: 'string', format: 'resident-id', 'x-kind': 'resident-id', title: '身份证号码', 'x-title-en': 'Resident ID number' },
        mobile: { type: 'string', 'x-kind': 'mobile', title: '手机号码' },
        address: { type: 'object', 'x-kind': 'address', title: '户籍地址', 'x-options': { within: '530000' }, properties: { division: { type: 'string' }, detail: { type: 'string' } } },
      },
    },
    child: {
      type: 'object', title: '新生儿', required: ['name', 'birthDate', 'sex', 'birthPlace'],
      properties: {
        name: { type: 'string', title: '新生儿姓名' },
        birthDate: { type: 'string', format: 'date', title: '出生日期' },
        sex: { enum: ['male', 'female'], title: '性别' },
        birthPlace: { type: 'string', 'x-kind': 'division', title: '出生地', 'x-options': { levels: ['county', 'township'] } },
      },
    },
    parentsMarried: { type: 'boolean', title: '父母是否已婚' },
    marriageCertificate: { type: 'object', 'x-kind': 'license-ref', title: '结婚证', 'x-options': { types: ['11100000000013338W011'] } },
    unmarriedStatement: { type: 'string', title: '未婚情况说明' },
    employer: { type: 'string', 'x-kind': 'credit-code', title: '工作单位统一社会信用代码' },
    leave: { type: 'object', 'x-kind': 'date-range', title: '产假期间', 'x-options': { maxDays: 365 } },
    fee: { type: 'string', 'x-kind': 'money', title: '工本费', 'x-options': { max: '100' } },
    count: { type: 'integer', title: '份数' },
    household: {
      type: 'array', 'x-kind': 'table', title: '同户成员', 'x-options': { maxRows: 10 },
      items: { type: 'object', required: ['name', 'relation'], properties: { name: { type: 'string', title: '成员姓名' }, relation: { enum: ['父亲', '母亲', '祖父母', '其他'], title: '与新生儿关系' }, relationNote: { type: 'string', title: '关系说明' } } },
    },
    materials: { type: 'array', 'x-kind': 'attachment', title: '出生医学证明', 'x-options': { accept: ['application/pdf', 'image/*'], maxCount: 3 } },
  },
  dependentRequired: { employer: ['leave'] },
  if: { properties: { parentsMarried: { const: true } }, required: ['parentsMarried'] },
  then: { required: ['marriageCertificate'] },
  else: { required: ['unmarriedStatement'] },
};
const ui = {
  'ui:order': ['applicant', 'child', 'parentsMarried', 'marriageCertificate', 'unmarriedStatement', 'employer', 'leave', 'fee', 'household', 'materials'],
  marriageCertificate: { 'x-visibleIf': { field: '/parentsMarried', equals: true } },
  unmarriedStatement: { 'ui:widget': 'textarea', 'x-visibleIf': { field: '/parentsMarried', equals: false } },
  household: { items: { relationNote: { 'x-visibleIf': { field: '/household/*/relation', equals: '其他' } } } },
};

describe('form fields', () => {
  const fields = fieldsOf(schema, ui);
  const byName = (n: string) => flatten(fields).find((f) => f.name === n)!;

  it('reads every field kind, in the UI order (then the rest), with labels in both languages', () => {
    expect(fields.map((f) => f.name)).toEqual(['applicant', 'child', 'parentsMarried', 'marriageCertificate', 'unmarriedStatement', 'employer', 'leave', 'fee', 'household', 'materials', 'count']);
    expect(Object.fromEntries(flatten(fields).map((f) => [f.path.join('.'), f.kind]))).toEqual({
      applicant: 'group', 'applicant.name': 'text', 'applicant.idNumber': 'resident-id', 'applicant.mobile': 'mobile', 'applicant.address': 'address',
      child: 'group', 'child.name': 'text', 'child.birthDate': 'date', 'child.sex': 'enum', 'child.birthPlace': 'division',
      parentsMarried: 'boolean', marriageCertificate: 'license-ref', unmarriedStatement: 'textarea', employer: 'credit-code', leave: 'date-range',
      fee: 'money', household: 'table', materials: 'attachment', count: 'number',
    });
    expect(byName('idNumber').label).toEqual({ zh: '身份证号码', en: 'Resident ID number' });
    expect(byName('name').label).toEqual({ zh: '申请人姓名', en: '申请人姓名' });
    expect(byName('sex').values).toEqual(['male', 'female']);
    expect(byName('birthPlace').options).toEqual({ levels: ['county', 'township'] });
    expect(byName('household').children.map((c) => [c.name, c.kind, c.required])).toEqual([['name', 'text', true], ['relation', 'enum', true], ['relationNote', 'text', false]]);
  });

  it('marks required fields, including those a condition or a dependency makes required', () => {
    expect(fields.filter((f) => f.required).map((f) => f.name)).toEqual(['applicant', 'child', 'parentsMarried', 'fee', 'materials']);
    expect([...conditionallyRequired(schema, { parentsMarried: true })]).toEqual(['marriageCertificate']);
    expect([...conditionallyRequired(schema, { parentsMarried: false, employer: '91530100MA6K0001X1' })].sort()).toEqual(['leave', 'unmarriedStatement']);
    expect([...conditionallyRequired(schema, {})]).toEqual(['unmarriedStatement']);
  });

  it('shows conditional fields as the server decides, row by row in tables', () => {
    const cert = byName('marriageCertificate');
    expect(isVisible(cert, { parentsMarried: true })).toBe(true);
    expect(isVisible(cert, { parentsMarried: false })).toBe(false);
    expect(isVisible(cert, {})).toBe(false);
    const note = byName('household').children.find((c) => c.name === 'relationNote')!;
    const data = { household: [{ name: '甲', relation: '父亲' }, { name: '乙', relation: '其他' }] };
    expect([isVisible(note, data, [0]), isVisible(note, data, [1])]).toEqual([false, true]);
  });

  it('drops hidden values and empty answers before sending', () => {
    const data = {
      parentsMarried: false, marriageCertificate: { typeCode: 'x', identifier: 'y' }, unmarriedStatement: '未婚，特此说明情况',
      household: [{ name: '甲', relation: '父亲', relationNote: '不该发送' }, { name: '乙', relation: '其他', relationNote: '外祖父' }],
      applicant: { name: '张云', mobile: '', address: { division: '530102', detail: '' } },
    };
    expect(compact(visibleData(fields, data))).toEqual({
      parentsMarried: false, unmarriedStatement: '未婚，特此说明情况',
      household: [{ name: '甲', relation: '父亲' }, { name: '乙', relation: '其他', relationNote: '外祖父' }],
      applicant: { name: '张云', address: { division: '530102' } },
    });
  });
});

describe('errors next to fields', () => {
  const names = [['applicant', 'name'], ['applicant', 'idNumber'], ['applicant', 'address'], ['household', 0, 'name'], ['household', 1, 'relation'], ['fee']];

  it('maps submission and pre-check pointers to the deepest field that holds them', () => {
    expect(dataPath('/body/data/applicant/idNumber')).toEqual(['applicant', 'idNumber']);
    expect(dataPath('/data/household/1/relation')).toEqual(['household', 1, 'relation']);
    expect(dataPath('/body/materials/0/fileIds/0')).toBeNull();
    expect(dataPath('/body/level', 'body')).toEqual(['level']);
    expect(fieldFor(['applicant', 'address', 'detail'], names)).toEqual(['applicant', 'address']);
    expect(fieldFor(['household', 1, 'relation'], names)).toEqual(['household', 1, 'relation']);
    expect(fieldFor(['child', 'name'], names)).toBeNull();
  });

  it('finds the material a materials error names', () => {
    expect(materialIndex('/body/materials/2/fileIds/0')).toBe(2);
    expect(materialIndex('/body/materials/0')).toBe(0);
    expect(materialIndex('/body/materials')).toBeNull();
    expect(materialIndex('/body/data/materials/0')).toBeNull();
  });
});

describe('division picker', () => {
  it('walks a canonical code down from the picker\'s root', () => {
    expect(divisionChain('530102', null)).toEqual(['530000', '530100', '530102']);
    expect(divisionChain('530102', '530000')).toEqual(['530100', '530102']);
    expect(divisionChain('530100', '530000')).toEqual(['530100']);
    expect(divisionChain('530102001', '530000')).toEqual(['530100', '530102', '530102001']);
    expect(divisionChain('440104', '530000')).toEqual([]);
    expect(divisionChain(undefined, null)).toEqual([]);
  });
});
