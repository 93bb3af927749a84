// Test world for the catalog: a real app on a real database, principals of real built-in roles in
// 云南省 / 昆明市 / 五华区, a published workflow and form to refer to, and an item factory.
import { expect } from 'vitest';
import { testApp } from '../../../../test/db.js';
import type { Principal } from '../../../core/http/auth.js';
import { roleByCode } from '../../../platform/identity/roles.js';
import { publishDefinition } from '../../../platform/workflow/index.js';
import { publishForm } from '../../../platform/forms/index.js';
import type { ItemInput } from './schema.js';

const role = (code: string, id: string, division: string): Principal => {
  const perms = roleByCode(code)!.permissions;
  return { id, name: id, kind: 'staff', permissions: new Set(perms), scopes: [division], grants: [{ role: code, permissions: new Set(perms), division }] };
};
export const PRINCIPALS: Record<string, Principal> = {
  yn: role('department_admin', 'user:yn-admin', '530000'),
  km: role('department_admin', 'user:km-admin', '530100'),
  wh: role('department_admin', 'user:wh-admin', '530102'),
  clerk: role('window_clerk', 'user:wh-clerk', '530102'),
};
export type Who = keyof typeof PRINCIPALS | null;

export const SIMPLE_WORKFLOW = {
  key: 'test.simple', title: { 'zh-CN': '测试流程' }, initial: 'submitted',
  states: [
    { id: 'submitted', name: { 'zh-CN': '待受理' }, assignment: { role: 'window_clerk' } },
    { id: 'done', name: { 'zh-CN': '办结' }, kind: 'final', outcome: 'completed' },
  ],
  actions: [{ id: 'finish', name: { 'zh-CN': '办结' }, from: ['submitted'], to: 'done', roles: ['window_clerk'] }],
};
export const SIMPLE_FORM = {
  key: 'test-applicant', division: '530000', title: { 'zh-CN': '申请人信息' },
  schema: { type: 'object', required: ['name'], properties: { name: { type: 'string', title: '姓名', minLength: 1, 'x-field': 'applicant.name' } } },
};

export function buildItem(over: Partial<ItemInput> = {}): ItemInput {
  return {
    key: 'marriage-registration', division: '530000', name: '内地居民婚姻登记', basicCode: '000117001000', itemType: '行政确认',
    department: { code: 'YN-MZT', name: '云南省民政厅' },
    legalBasis: ['《婚姻登记条例》（国务院令第387号）第四条'],
    conditions: '男女双方均为内地居民，达到法定婚龄，自愿结婚，双方均无配偶。',
    legalDays: 1, promisedDays: 0, handling: 'instant',
    fees: { charged: false, items: [] }, channels: ['window'], onlineDepth: 0, visits: 1, serviceObjects: ['citizen'],
    place: '婚姻登记处', hours: '周一至周五 9:00-17:00（法定节假日除外）', consultation: '0871-12345', complaint: '12345 政务服务便民热线',
    formKey: 'test-applicant', workflowKey: 'test.simple',
    materials: [
      { id: 'id-card', name: '居民身份证', required: true, source: '申请人自备', copies: 1, licenseType: '11100000000013127D001' },
      { id: 'household-register', name: '居民户口簿', required: true, source: '申请人自备', copies: 1 },
    ],
    lifeEvents: ['marriage'], keywords: ['结婚登记', '领证'],
    ...over,
  };
}

export async function catalogWorld() {
  const t = await testApp();
  t.app.authenticators.push(async (r) => {
    const m = /^Bearer (\w+)$/.exec(r.headers.authorization ?? '');
    return m ? (PRINCIPALS[m[1]!] ?? null) : null;
  });
  const sys = { principal: PRINCIPALS.yn!, actor: { id: 'system:test' }, lang: 'zh-CN' as const };
  await publishDefinition(t.core, sys, { division: '530000', definition: SIMPLE_WORKFLOW });
  await publishForm(t.core, sys, SIMPLE_FORM);
  const call = (who: Who, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, lang?: string) => {
    const headers: Record<string, string> = {};
    if (who) headers.authorization = `Bearer ${who}`;
    if (lang) headers['accept-language'] = lang;
    return t.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  };
  const ok = async (who: Who, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, status = 200) => {
    const r = await call(who, method, url, payload);
    expect(r.statusCode, `${method} ${url}: ${r.body}`).toBe(status);
    return r.json();
  };
  return { ...t, call, ok };
}
