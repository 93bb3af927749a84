// 智能文本客服: a citizen asks in their own words; the answer comes from published knowledge with its
// sources. When the best entry covers too little of the question, or two entries are equally good,
// it asks the citizen to choose; when nothing fits, it offers 自助下单 — a work order with the whole
// conversation attached.
import type { Core } from '../../core/index.js';
import { recordChange } from '../../core/audit/record.js';
import { AppError } from '../../core/http/errors.js';
import type { Caller } from './access.js';
import { createOrder, type IntakeInput } from './intake.js';
import { searchKb } from './kb.js';
import { badFields } from './runner.js';
import { tokens } from './text.js';

/** Share of the question's bigrams found in an entry, for an answer / to be asked to choose. */
export const ANSWER_COVERAGE = 0.5;
export const CLARIFY_COVERAGE = 0.25;
const MAX_MESSAGE = 500;

interface Message { from: 'citizen' | 'bot'; text: string; at: string; kind?: 'answer' | 'clarify' | 'no-answer' | 'order'; sources?: Array<{ id: string; title: string }> }

function coverage(question: string, entry: { title: string; content: string; keywords: string[] }): number {
  const q = new Set(tokens(question));
  if (!q.size) return 0;
  const e = new Set(tokens(`${entry.title} ${entry.keywords.join(' ')} ${entry.content}`));
  let hit = 0;
  for (const t of q) if (e.has(t)) hit++;
  return hit / q.size;
}

async function loadChat(core: Core, caller: Caller, id: string) {
  const c = /^[0-9a-f-]{36}$/i.test(id) ? await core.db.selectFrom('hotline_chat').selectAll().where('id', '=', id).executeTakeFirst() : undefined;
  if (!c || c.principal !== caller.principal.id) throw new AppError('NOT_FOUND', { 'zh-CN': '会话不存在', en: 'No such conversation' });
  return c;
}

export async function chat(core: Core, caller: Caller, input: { chatId?: string; division?: string; message: string }) {
  const text = typeof input.message === 'string' ? input.message.trim() : '';
  if (!text || Array.from(text).length > MAX_MESSAGE) throw badFields([{ pointer: '/body/message', code: text ? 'maxLength' : 'required', message: text ? `不能超过 ${MAX_MESSAGE} 个字符` : '请输入您的问题' }]);
  const prior = input.chatId ? await loadChat(core, caller, input.chatId) : null;
  const division = prior?.division ?? String(input.division ?? '');
  if (!prior && !/^\d{6}$/.test(division)) throw badFields([{ pointer: '/body/division', code: 'format', message: '请提供所在行政区划（6位代码）' }]);
  const found = (await searchKb(core, caller, text, { limit: 5, divisions: [division] })).items.map((i) => ({ ...i, coverage: coverage(text, i) }))
    .sort((a, b) => b.coverage - a.coverage);
  const [best, second] = found;
  const now = core.clock.now().toISOString();
  let reply: Message;
  if (best && best.coverage >= ANSWER_COVERAGE && !(second && second.coverage === best.coverage && second.title !== best.title)) {
    reply = { from: 'bot', kind: 'answer', text: best.content, at: now, sources: [{ id: best.id, title: best.title }] };
  } else if (best && best.coverage >= CLARIFY_COVERAGE) {
    const options = found.filter((f) => f.coverage >= CLARIFY_COVERAGE).slice(0, 3);
    reply = { from: 'bot', kind: 'clarify', text: `您想了解的是以下哪一项？${options.map((o, i) => `${i + 1}. ${o.title}`).join('；')}`, at: now, sources: options.map((o) => ({ id: o.id, title: o.title })) };
  } else {
    reply = { from: 'bot', kind: 'no-answer', text: '暂未找到相关答复。您可以直接提交诉求（自助下单），我们会转交承办单位办理。', at: now };
  }
  const messages = [...((prior?.messages as Message[]) ?? []), { from: 'citizen' as const, text, at: now }, reply];
  const id = await core.db.transaction().execute(async (tx) => {
    if (prior) {
      await tx.updateTable('hotline_chat').set({ messages: JSON.stringify(messages), updated_at: new Date(now) }).where('id', '=', prior.id).execute();
      return prior.id;
    }
    const row = await tx.insertInto('hotline_chat').values({ principal: caller.principal.id, division, messages: JSON.stringify(messages), created_at: new Date(now), updated_at: new Date(now) }).returning('id').executeTakeFirstOrThrow();
    return row.id;
  });
  return { chatId: id, reply };
}

/** 自助下单: the conversation becomes a work order (channel app), attached as its content. */
export async function orderFromChat(core: Core, caller: Caller, chatId: string, input: Omit<IntakeInput, 'channel' | 'content'> & { content?: string }) {
  const c = await loadChat(core, caller, chatId);
  if (c.order_id) throw new AppError('INVALID_STATE', { 'zh-CN': '该会话已经提交过工单', en: 'This conversation already became an order' });
  const log = (c.messages as Message[]).map((m) => `${m.from === 'citizen' ? '市民' : '智能客服'}：${m.text}`).join('\n');
  const content = `${input.content?.trim() ? `${input.content.trim()}\n\n` : ''}【智能客服对话记录】\n${log}`.slice(0, 4000);
  const r = await createOrder(core, caller, { ...input, channel: 'app', content, location: { ...(input.location ?? {}), division: input.location?.division ?? c.division } }, `chat:${c.id}`);
  await core.db.transaction().execute(async (tx) => {
    await tx.updateTable('hotline_chat').set({ order_id: r.order.id, updated_at: core.clock.now() }).where('id', '=', c.id).execute();
    await recordChange(tx, caller.actor, { action: 'hotline.chat.order', object: { type: 'hotline.chat', id: c.id }, division: c.division, detail: { order: r.order.number } },
      { type: 'hotline.chat.ordered', payload: { order: r.order.number } });
  });
  return r;
}
