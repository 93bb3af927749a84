import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, type World } from './fixtures/world.js';

let w: World;
beforeAll(async () => {
  w = await makeWorld();
  await w.ok('admin', 'POST', '/api/forms', {
    key: 'wf-accept-form', division: '530000', title: { 'zh-CN': '受理登记表' },
    schema: {
      type: 'object', required: ['applicant'],
      properties: {
        applicant: {
          type: 'object', title: '申请人', required: ['name', 'mobile', 'birthDate'],
          properties: { name: { type: 'string', title: '姓名', minLength: 1 }, mobile: { 'x-kind': 'mobile', title: '手机号码' }, birthDate: { type: 'string', format: 'date', title: '出生日期' } },
        },
      },
    },
  }, 201);
  await w.publish('requirements-demo.yaml');
});
afterAll(() => w.close());

const start = (data: Record<string, unknown>) => w.ok('clerk1', 'POST', '/api/workflow/instances', { key: 'req.demo', division: '530102', data }, 201);

describe('action requirements through the forms and rules engines', () => {
  it('reports every bad form field by its title, in zh-CN, and moves nothing', async () => {
    const c = await start({ applicant: { name: '', mobile: '12345' } });
    const r = await w.call('clerk1', 'POST', `/api/workflow/instances/${c.id}/actions/accept`, {});
    expect(r.statusCode).toBe(400);
    const errors = r.json().errors as Array<{ pointer: string; message: string }>;
    expect(errors.map((e) => e.pointer)).toEqual(expect.arrayContaining(['/data/applicant/name', '/data/applicant/mobile', '/data/applicant/birthDate']));
    expect(errors.find((e) => e.pointer === '/data/applicant/mobile')!.message).toContain('手机号码');
    expect((await w.ok('clerk1', 'GET', `/api/workflow/instances/${c.id}`)).state).toBe('submitted');
  });

  it('explains in Chinese which condition of the rule failed and with what value', async () => {
    const c = await start({ applicant: { name: '小明', mobile: '13800871234', birthDate: '2010-05-01' } });
    const r = await w.call('clerk1', 'POST', `/api/workflow/instances/${c.id}/actions/accept`, {});
    expect(r.statusCode).toBe(400);
    const [e] = r.json().errors;
    expect(e.code).toBe('rule');
    expect(e.message).toContain('「申请人出生日期」为 2010-05-01');
    expect(e.message).toContain('18');
  });

  it('lets the action through once the data is right (data submitted with the action counts)', async () => {
    const c = await start({ applicant: { name: '张三', mobile: '13800871234' } });
    const done = await w.ok('clerk1', 'POST', `/api/workflow/instances/${c.id}/actions/accept`, { data: { applicant: { birthDate: '1990-01-01' } } });
    expect(done).toMatchObject({ state: 'done', status: 'completed' });
  });
});
