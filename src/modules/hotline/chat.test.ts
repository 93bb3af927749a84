// 智能文本客服: answers from published knowledge with sources, asks to clarify when unsure, and
// turns an unanswered question into a work order with the conversation attached.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, type World } from './test-world.js';

let w: World;
beforeAll(async () => {
  w = await makeWorld();
  for (const [title, content, keywords] of [
    ['新生儿落户办理指南', '新生儿出生后一个月内，凭出生医学证明和父母户口簿到派出所办理落户。', ['落户', '新生儿']],
    ['身份证补办流程', '身份证丢失后，可到户籍地派出所或通过一部手机办事通申请补办。', ['身份证', '补办']],
    ['居住证办理指南', '在本市居住满半年可到派出所申请居住证。', ['居住证', '派出所']],
  ] as const) {
    const e = await w.ok('admin', 'POST', '/api/hotline/kb', { division: '530102', categoryPath: '公安/户籍管理', title, content, kind: '办事指南', issuingUnit: '昆明市公安局', keywords }, 201);
    await w.ok('disp', 'POST', `/api/hotline/kb/${e.id}/review`, { approve: true });
  }
});
afterAll(async () => { await w?.close(); });

describe('smart text service', () => {
  it('answers with its source when the knowledge covers the question', async () => {
    const r = await w.ok('citizen', 'POST', '/api/hotline/chat', { division: '530102', message: '新生儿落户怎么办理？' });
    expect(r.reply).toMatchObject({ kind: 'answer', sources: [{ title: '新生儿落户办理指南' }] });
    expect(r.reply.text).toContain('出生医学证明');
  });

  it('asks to clarify when unsure, and continues the same conversation', async () => {
    const r = await w.ok('citizen', 'POST', '/api/hotline/chat', { division: '530102', message: '去派出所要办什么证' });
    expect(r.reply.kind).toBe('clarify');
    expect(r.reply.sources.map((s: { title: string }) => s.title)).toEqual(expect.arrayContaining(['居住证办理指南']));
    const next = await w.ok('citizen', 'POST', '/api/hotline/chat', { chatId: r.chatId, message: '居住证办理指南' });
    expect(next).toMatchObject({ chatId: r.chatId, reply: { kind: 'answer', sources: [{ title: '居住证办理指南' }] } });
    expect((await w.call('stranger', 'POST', '/api/hotline/chat', { chatId: r.chatId, message: '你好' })).statusCode).toBe(404);
  });

  it('turns an unanswered question into a work order with the conversation attached (自助下单), once', async () => {
    const r = await w.ok('citizen', 'POST', '/api/hotline/chat', { division: '530102', message: '楼下烧烤店油烟太大，晚上还很吵' });
    expect(r.reply.kind).toBe('no-answer');
    expect((await w.call('citizen', 'POST', '/api/hotline/chat', { division: '530102', message: '' })).json().errors).toEqual([expect.objectContaining({ pointer: '/body/message' })]);
    const o = await w.ok('citizen', 'POST', `/api/hotline/chat/${r.chatId}/order`, { demandType: '投诉', categoryCode: '090102', location: { division: '530102', address: '五华区某路' } }, 201);
    expect(o.order).toMatchObject({ channel: 'app', status: 'accepted' });
    expect(o.order.content).toContain('【智能客服对话记录】');
    expect(o.order.content).toContain('市民：楼下烧烤店油烟太大');
    expect((await w.call('citizen', 'POST', `/api/hotline/chat/${r.chatId}/order`, { demandType: '投诉', categoryCode: '090102' })).statusCode).toBe(409);
    expect((await w.ok('citizen', 'GET', '/api/hotline/orders?view=mine')).items.map((x: { id: string }) => x.id)).toContain(o.order.id);
  });
});
