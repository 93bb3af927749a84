import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/http/errors.js';
import { parseSmtpUrl } from './adapters.js';
import { BUILTIN_TEMPLATES, registerTemplate } from './builtin.js';
import { maskOtherMobiles, scrubIdNumbers, scrubMessage } from './scrub.js';
import { placeholdersIn, renderVersion, SMS_MAX, templateProblems, type TemplateDefinition, type TemplateVersion } from './templates.js';
import { idNumberWithX } from './test-kit.js';

const def = (over: Partial<TemplateDefinition> = {}): TemplateDefinition => ({
  key: 'services.case-accepted', category: 'case-status', channels: ['inbox', 'sms', 'email'], placeholders: ['caseNumber', 'itemName'],
  subject: { 'zh-CN': '已受理：{{itemName}}', en: 'Accepted: {{itemName}}' },
  body: { 'zh-CN': '您申请的「{{itemName}}」已受理，办件编号 {{ caseNumber }}。', en: 'Your application "{{itemName}}" was accepted as case {{caseNumber}}.' },
  ...over,
});
const version = (d: TemplateDefinition): TemplateVersion => ({ ...d, id: 'x', division: '530000', version: 3, builtin: false, createdBy: 'test', createdAt: '' });

describe('template validation', () => {
  it('accepts a definition whose placeholders are all declared, and every built-in template', () => {
    expect(templateProblems(def(), 'zh-CN')).toEqual([]);
    for (const b of BUILTIN_TEMPLATES) expect(templateProblems(b, 'en'), b.key).toEqual([]);
  });

  it('names every bad field at once: undeclared and malformed placeholders, duplicates, SMS length', () => {
    const problems = templateProblems(def({
      key: 'Bad Key',
      placeholders: ['caseNumber', 'caseNumber', '1st'],
      subject: { 'zh-CN': '已受理：{{itemName}}', en: 'Accepted {{itemName' },
      body: { 'zh-CN': '办件 {{caseNumber}}，期限 {{deadline}}', en: 'x'.repeat(SMS_MAX + 1) },
    }), 'zh-CN');
    expect(problems.map((p) => [p.pointer, p.code])).toEqual([
      ['/body/key', 'pattern'],
      ['/body/placeholders/1', 'duplicate'],
      ['/body/placeholders/2', 'pattern'],
      ['/body/subject/zh-CN', 'undeclared-placeholder'],
      ['/body/subject/en', 'placeholder-syntax'],
      ['/body/body/zh-CN', 'undeclared-placeholder'],
      ['/body/body/en', 'sms-length'],
    ]);
    expect(problems.find((p) => p.pointer === '/body/body/zh-CN')!.message).toBe('使用了未声明的占位符：deadline');
    expect(problems.find((p) => p.code === 'sms-length')!.message).toBe(`短信内容不能超过 ${SMS_MAX} 字（现为 ${SMS_MAX + 1} 字）`);
  });

  it('checks the SMS length on the SMS body when there is one, and not at all without the sms channel', () => {
    const long = { 'zh-CN': '长'.repeat(SMS_MAX + 1), en: 'long' };
    expect(templateProblems(def({ body: long, placeholders: ['itemName'] }), 'en').map((p) => p.pointer)).toEqual(['/body/body/zh-CN']);
    expect(templateProblems(def({ body: long, placeholders: ['itemName'], smsBody: { 'zh-CN': '短', en: 'short' } }), 'en')).toEqual([]);
    expect(templateProblems(def({ body: long, placeholders: ['itemName'], channels: ['inbox', 'email'] }), 'en')).toEqual([]);
    // Characters, not UTF-16 units or bytes: 500 Chinese characters are allowed.
    expect(templateProblems(def({ body: { 'zh-CN': '字'.repeat(SMS_MAX), en: 'x' }, placeholders: ['itemName'] }), 'en')).toEqual([]);
  });

  it('finds placeholders with or without inner spaces, and flags stray braces', () => {
    expect(placeholdersIn('{{a}} {{ b }} {{a}}')).toEqual({ names: ['a', 'b'], broken: false });
    expect(placeholdersIn('{{a}} }}')).toEqual({ names: ['a'], broken: true });
    expect(placeholdersIn('{{ 1x }}').broken).toBe(true);
  });

  it('refuses to register an invalid code-defined template', () => {
    expect(() => registerTemplate(def({ body: { 'zh-CN': '{{nope}}', en: 'x' } }))).toThrow(/undeclared|Undeclared/);
  });
});

describe('rendering', () => {
  const tpl = version(def({ smsBody: { 'zh-CN': '【云岭】{{itemName}} 已受理：{{caseNumber}}', en: '[Yunling] {{itemName}} accepted: {{caseNumber}}' } }));
  const data = { caseNumber: 'YN530102-20261126-000123', itemName: '个体工商户设立登记' };

  it('renders zh-CN and en, with the SMS text on the SMS channel', () => {
    expect(renderVersion(tpl, data, 'zh-CN', 'inbox')).toMatchObject({ version: 3, subject: '已受理：个体工商户设立登记', body: '您申请的「个体工商户设立登记」已受理，办件编号 YN530102-20261126-000123。' });
    expect(renderVersion(tpl, data, 'en', 'email').body).toBe('Your application "个体工商户设立登记" was accepted as case YN530102-20261126-000123.');
    expect(renderVersion(tpl, data, 'zh-CN', 'sms').body).toBe('【云岭】个体工商户设立登记 已受理：YN530102-20261126-000123');
  });

  it('substitutes once: a value containing {{…}} is not expanded again', () => {
    expect(renderVersion(tpl, { ...data, itemName: '{{caseNumber}}' }, 'zh-CN', 'inbox').subject).toBe('已受理：{{caseNumber}}');
  });

  it('fails clearly, naming each missing value, instead of sending a message with a hole', () => {
    let err: unknown;
    try {
      renderVersion(tpl, { itemName: '设立登记', caseNumber: null as unknown as string }, 'zh-CN', 'sms');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    const e = err as AppError;
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.detail).toEqual({ 'zh-CN': '消息模板 services.case-accepted 缺少占位符的值：caseNumber', en: 'Template services.case-accepted is missing values for: caseNumber' });
    expect(e.errors).toEqual([{ pointer: '/data/caseNumber', code: 'required', message: '缺少占位符 caseNumber 的值' }]);
  });

  it('cuts an SMS that outgrows the limit after substitution rather than failing the caller', () => {
    const body = renderVersion(tpl, { ...data, itemName: '项'.repeat(SMS_MAX) }, 'zh-CN', 'sms').body;
    expect(Array.from(body)).toHaveLength(SMS_MAX);
    expect(body.endsWith('…')).toBe(true);
  });
});

describe('scrubbing', () => {
  const id = idNumberWithX();

  it('masks an 18-character ID number with an X check character, however it is written', () => {
    const masked = `${id.slice(0, 4)}**********${id.slice(-4)}`;
    expect(id.endsWith('X')).toBe(true);
    expect(scrubIdNumbers(`申请人身份证号${id}。`)).toBe(`申请人身份证号${masked}。`);
    expect(scrubIdNumbers(`ID:${id.toLowerCase()}, ok`)).toBe(`ID:${masked}, ok`);
    expect(scrubIdNumbers(`${id.slice(0, 6)} ${id.slice(6, 14)} ${id.slice(14)}`)).toBe(masked);
    const fullWidth = id.replace(/[0-9X]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    expect(scrubIdNumbers(`证件${fullWidth}`)).toBe(`证件${masked}`);
  });

  it('leaves case numbers, dates, codes and longer digit runs alone', () => {
    const text = '办件 YN530102-20261126-000123 于 2026-11-26 受理，验证码 123456，缴款码 12345678901234567890。';
    expect(scrubMessage(text)).toBe(text);
  });

  it('masks mobile numbers other than the recipient\'s own', () => {
    expect(maskOtherMobiles('联系人 13812345678，您的号码 13900001111', '13900001111')).toBe('联系人 138****5678，您的号码 13900001111');
    expect(maskOtherMobiles('+86 138-1234-5678 或 8613812345678', null)).toBe('138****5678 或 138****5678');
    expect(maskOtherMobiles('热线 12345，电话 0871-63123456', null)).toBe('热线 12345，电话 0871-63123456');
  });
});

describe('SMTP_URL', () => {
  it('parses host, port, credentials, sender and TLS mode', () => {
    expect(parseSmtpUrl('smtp://user%40x:p%40ss@mail.example.gov.cn:2525?from=noreply@example.gov.cn&requireTLS=true')).toEqual({
      host: 'mail.example.gov.cn', port: 2525, secure: false, requireTLS: true, user: 'user@x', pass: 'p@ss', from: 'noreply@example.gov.cn',
    });
    expect(parseSmtpUrl('smtps://mail.example.gov.cn')).toMatchObject({ port: 465, secure: true, user: null, from: 'noreply@mail.example.gov.cn' });
  });

  it('stops with one line naming the variable, never echoing the password', () => {
    for (const bad of ['http://mail.example.gov.cn', 'not a url', 'smtp://u:secret@mail.example.gov.cn?pool=true', 'smtp://mail.example.gov.cn?from=nobody']) {
      expect(() => parseSmtpUrl(bad)).toThrow(/^yunling: invalid configuration: SMTP_URL — /);
    }
    expect(() => parseSmtpUrl('smtp://u:secret@mail.example.gov.cn?pool=true')).not.toThrow(/secret/);
  });
});
