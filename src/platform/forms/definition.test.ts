import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../core/http/errors.js';
import { assertDefinition, checkDefinition, normalizeSchema } from './definition.js';
import { loadFormFile } from './load.js';
import { SAMPLE } from './fixtures/test-sample.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yunling-forms-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const base = () => ({
  key: 'test-form',
  division: '530000',
  title: { 'zh-CN': '测试表单', en: 'Test form' },
  schema: { type: 'object', properties: { name: { type: 'string', title: '姓名' } } },
  uiSchema: {},
});

describe('checking a definition', () => {
  it('lists every problem at once (DEFINITION_INVALID)', () => {
    const input = {
      key: 'Bad Key',
      division: '5300',
      title: { 'zh-CN': '' },
      schema: {
        type: 'object',
        properties: {
          idNumber: { 'x-kind': 'passport', title: '证件号' },
          mobile: { 'x-kind': 'mobile', type: 'integer' },
          files: { 'x-kind': 'attachment', 'x-options': { maxCount: 0, colour: 'red' } },
          fee: { 'x-kind': 'money', pattern: '^\\d+$' },
          rows: { 'x-kind': 'table' },
          a: { type: 'string', 'x-field': 'applicant.name', 'x-prefill': 'registry.name', 'x-colour': 'red' },
          b: { type: 'string', 'x-field': 'applicant.name', 'x-prefill': 'profile.shoeSize' },
          c: { type: 'strin', $ref: 'https://example.org/schema.json' },
          'bad name': { type: 'string' },
        },
      },
      uiSchema: {
        nope: { 'ui:widget': 'textarea' },
        'ui:order': ['a', 'ghost'],
        a: { 'x-visibleIf': { field: '/missing', equals: 1 }, 'x-help': 'hi' },
        b: { 'x-visibleIf': { field: '/a', equals: 1, in: [1] } },
      },
    };
    const { problems, definition } = checkDefinition(input, 'zh-CN');
    expect(definition).toBeNull();
    const codes = problems.map((p) => `${p.pointer} ${p.code}`);
    expect(codes).toEqual(expect.arrayContaining([
      '/key key',
      '/division division',
      '/title/zh-CN title',
      '/schema/properties/idNumber/x-kind unknown-kind',
      '/schema/properties/mobile/type kind-type',
      '/schema/properties/files/x-options/maxCount options',
      '/schema/properties/files/x-options options',
      '/schema/properties/fee/pattern kind-owned',
      '/schema/properties/rows/items table-items',
      '/schema/properties/a/x-colour unknown-keyword',
      '/schema/properties/a/x-prefill x-prefill',
      '/schema/properties/b/x-prefill x-prefill',
      '/schema/properties/b/x-field x-field-duplicate',
      '/schema/properties/c/$ref ref',
      '/schema/properties/bad name field-name',
      '/schema/properties/c/type schema',
      '/uiSchema/nope ui-unknown-field',
      '/uiSchema/ui:order/1 ui-unknown-field',
      '/uiSchema/a/x-visibleIf/field ui-condition',
      '/uiSchema/a/x-help unknown-keyword',
      '/uiSchema/b/x-visibleIf ui-condition',
    ]));
    const byPointer = Object.fromEntries(problems.map((p) => [p.pointer, p.message]));
    expect(byPointer['/schema/properties/idNumber/x-kind']).toBe('未知的字段类型 "passport"（可用：resident-id、credit-code、mobile、division、address、date-range、money、attachment、license-ref、table）');
    expect(byPointer['/schema/properties/a/x-prefill']).toMatch(/^没有名为 registry 的预填来源/);
    expect(byPointer['/schema/properties/b/x-prefill']).toBe('预填来源不提供 profile.shoeSize');
    expect(byPointer['/uiSchema/nope']).toBe('界面配置引用了不存在的字段 /nope');
    expect(byPointer['/uiSchema/a/x-visibleIf/field']).toBe('显示条件引用了不存在的字段 /missing');
    expect(() => assertDefinition(input, 'en', '/body')).toThrow(AppError);
    try {
      assertDefinition(input, 'en', '/body');
    } catch (err) {
      const e = err as AppError;
      expect(e.code).toBe('DEFINITION_INVALID');
      expect(e.errors!.length).toBe(problems.length);
      expect(e.errors!.every((p) => p.pointer.startsWith('/body/'))).toBe(true);
    }
  });

  it('refuses a schema that does not compile, with the reason', () => {
    const input = { ...base(), schema: { type: 'object', properties: { d: { type: 'string', format: 'colour' } } } };
    const { problems } = checkDefinition(input, 'en');
    expect(problems).toEqual([{ pointer: '/schema', code: 'compile', message: expect.stringContaining('unknown format "colour"') }]);
  });

  it('refuses $id and other dialects', () => {
    const { problems } = checkDefinition({ ...base(), schema: { $schema: 'http://json-schema.org/draft-07/schema#', $id: 'x', type: 'object' } }, 'zh-CN');
    expect(problems.map((p) => p.code).sort()).toEqual(['dialect', 'id']);
  });

  it('normalises: kinds expanded, objects of fields closed, 2020-12 named — and normalising again changes nothing', () => {
    const { definition } = checkDefinition({
      ...base(),
      schema: {
        properties: {
          open: { type: 'object', additionalProperties: true, properties: { x: { type: 'string' } } },
          group: { type: 'object', properties: { mobile: { 'x-kind': 'mobile' } } },
          rows: { 'x-kind': 'table', items: { properties: { a: { type: 'string' } } } },
        },
      },
    }, 'zh-CN');
    const s = definition!.schema;
    expect(s.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(s.additionalProperties).toBe(false);
    expect(s.properties.open.additionalProperties).toBe(true);
    expect(s.properties.group.additionalProperties).toBe(false);
    expect(s.properties.group.properties.mobile).toEqual({ 'x-kind': 'mobile', type: 'string', format: 'mobile-cn' });
    expect(s.properties.rows).toMatchObject({ type: 'array', maxItems: 200, items: { type: 'object', additionalProperties: false } });
    expect(normalizeSchema(s)).toEqual(s);
    // A served definition can be sent back as it is.
    expect(checkDefinition({ ...base(), schema: s }, 'zh-CN').definition!.schema).toEqual(s);
  });

  it('takes the English title from the Chinese one when none is given', () => {
    expect(checkDefinition({ ...base(), title: { 'zh-CN': '只有中文' } }, 'zh-CN').definition!.title).toEqual({ 'zh-CN': '只有中文', en: '只有中文' });
  });
});

describe('loadFormFile', () => {
  it('loads the sample YAML form (division written as a number in YAML)', async () => {
    const f = await loadFormFile(SAMPLE);
    expect(f).toMatchObject({ key: 'birth-registration', division: '530000', title: { 'zh-CN': '出生登记', en: 'Birth registration' } });
    expect(Object.keys(f.schema.properties)).toContain('household');
  });

  it('loads JSON, and names the file when it is broken or invalid', async () => {
    const good = path.join(dir, 'ok.json');
    fs.writeFileSync(good, JSON.stringify(base()));
    expect((await loadFormFile(good)).key).toBe('test-form');
    const broken = path.join(dir, 'broken.yaml');
    fs.writeFileSync(broken, 'key: [unclosed\n');
    await expect(loadFormFile(broken)).rejects.toMatchObject({ code: 'DEFINITION_INVALID', detail: { 'zh-CN': expect.stringContaining('无法解析表单文件 broken.yaml') } });
    const invalid = path.join(dir, 'invalid.yml');
    fs.writeFileSync(invalid, 'key: invalid\ndivision: "530000"\ntitle: { zh-CN: 坏 }\nschema: { properties: { a: { x-kind: nope } } }\n');
    await expect(loadFormFile(invalid)).rejects.toMatchObject({ code: 'DEFINITION_INVALID', detail: { 'zh-CN': '表单文件 invalid.yml 有 1 处问题' } });
    await expect(loadFormFile(path.join(dir, 'form.txt'))).rejects.toMatchObject({ code: 'DEFINITION_INVALID' });
  });
});
