// Test factory: the workflow test world (real accounts, roles, departments) plus a services
// workflow (fixtures/test-approval.yaml), forms and items published through the real engines and
// the real catalog's publishItem — no stand-ins.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { makeWorld, type Who } from '../../../platform/workflow/fixtures/world.js';
import { loadDefinitionFile } from '../../../platform/workflow/index.js';
import { loadPrincipal } from '../../../platform/identity/principal.js';
import { publishForm } from '../../../platform/forms/index.js';
import { publishItem, withdrawItem } from '../catalog/index.js';
import { pdf, png } from '../../../platform/files/test-fixtures.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export const applicantForm = (key: string, extra: Record<string, unknown> = {}, required: string[] = []) => ({
  key, division: '530000', title: { 'zh-CN': `测试表单 ${key}` },
  schema: {
    type: 'object', required: ['applicant', ...required],
    properties: {
      applicant: {
        type: 'object', title: '申请人', required: ['name', 'idNumber', 'mobile'],
        properties: {
          name: { type: 'string', title: '申请人姓名', minLength: 1, maxLength: 50, 'x-field': 'applicant.name', 'x-prefill': 'profile.name' },
          idNumber: { 'x-kind': 'resident-id', title: '身份证号码', 'x-field': 'applicant.idNumber', 'x-prefill': 'profile.idNumber' },
          mobile: { 'x-kind': 'mobile', title: '手机号码', 'x-field': 'applicant.mobile', 'x-prefill': 'profile.mobile' },
        },
      },
      ...extra,
    },
  },
});

export const material = (id: string, name: string, o: Record<string, unknown> = {}) => ({ id, name, required: true, source: '申请人自备', copies: 0, accept: ['application/pdf'], maxBytes: 1024 * 1024, ...o });

export const itemInput = (key: string, o: Record<string, unknown> = {}) => ({
  key, division: '530000', name: `测试事项 ${key}`, basicCode: `${key.replace(/[^a-z]/g, '').toUpperCase().padEnd(8, 'X').slice(0, 8)}0001`,
  itemType: '行政许可', department: { code: 'WF-D1', name: '测试部门' }, legalBasis: ['《测试条例》第一条'], conditions: '符合条件的申请人',
  legalDays: 20, promisedDays: 10, handling: 'promised', fees: { charged: false, items: [] }, channels: ['window', 'online'], onlineDepth: 4, visits: 0,
  serviceObjects: ['citizen'], place: '政务服务中心', hours: '工作日 9:00-17:00', consultation: '12345', complaint: '12345',
  formKey: 'svc-test-form', workflowKey: 'svc.test-approval', lifeEvents: [],
  materials: [material('id-card', '居民身份证', { licenseType: '11100000000013127D002', accept: ['application/pdf', 'image/*'] }), material('application', '申请书'), material('photo', '照片', { required: false, accept: ['image/png'] })],
  ...o,
});

export async function servicesWorld(opts: { clock?: string } = {}) {
  const w = await makeWorld(opts);
  const admin = { principal: (await loadPrincipal(w.core, w.ids.admin!, { mfa: true }))!, actor: { id: `user:${w.ids.admin}` }, lang: 'zh-CN' as const };
  await w.ok('admin', 'POST', '/api/workflow/definitions', { division: '530000', definition: await loadDefinitionFile(path.join(here, 'fixtures', 'test-approval.yaml')) }, 201);
  await publishForm(w.core, admin, applicantForm('svc-test-form', { purpose: { type: 'string', title: '申请事由', minLength: 2 } }, ['purpose']) as never);
  const publish = async (key: string, o: Record<string, unknown> = {}) => {
    try {
      return (await publishItem(w.core, admin, itemInput(key, o))).item;
    } catch (e) {
      throw new Error(`publishing ${key}: ${JSON.stringify((e as { errors?: unknown }).errors ?? String(e))}`);
    }
  };
  const withdraw = (key: string, division = '530000', version?: number) => withdrawItem(w.core, admin, key, { division, version });
  /** Uploads a file as `who` (the real upload route) and returns its id. */
  const upload = async (who: Who, kind: 'pdf' | 'png' = 'pdf', name = kind === 'pdf' ? '材料.pdf' : '照片.png') => {
    const r = await w.app.inject({ method: 'POST', url: '/api/files', headers: { authorization: `Bearer wf:${who}`, 'content-type': 'application/octet-stream', 'x-file-name': encodeURIComponent(name) }, payload: kind === 'pdf' ? pdf(name) : png() });
    expect(r.statusCode, r.body).toBe(201);
    return r.json().id as string;
  };
  return { ...w, admin, publish, withdraw, upload };
}
export type ServicesWorld = Awaited<ReturnType<typeof servicesWorld>>;

/** The citizen of the test world (张三, 530102): ID and mobile as registered. */
export const CITIZEN = { name: '张三', mobile: '13900871011' };
