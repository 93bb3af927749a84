import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { notify } from './send.js';
import { appWith, auditActions, events, person, staffAccount, type T } from './test-kit.js';

let t: T;
let alice: string;
let bob: string;
const aliceIds: string[] = [];
const bobIds: string[] = [];
const as = (id: string) => ({ authorization: `Person ${id}` });

beforeAll(async () => {
  t = await appWith({});
  alice = await staffAccount(t, { name: '张三', mobile: '13911110000' });
  bob = await staffAccount(t, { name: '李四', mobile: '13922220000' });
  t.app.authenticators.push(async (r) => {
    const m = /^Person (\S+)$/.exec(r.headers.authorization ?? '');
    return m ? person(m[1]!) : null;
  });
  // Five messages for Alice and two for Bob, one minute apart, in the order they were sent.
  for (let i = 1; i <= 7; i++) {
    const to = i <= 5 ? alice : bob;
    const r = await t.core.db.transaction().execute((tx) => notify(t.core, tx, {
      to, template: 'workflow.task-assigned', channels: ['inbox'], purpose: `inbox-test-${i}`,
      data: { caseNumber: `YN530102-20261126-00000${i}`, title: `事项${i}`, state: '审核', dueAt: '2026-12-01' },
    }));
    (to === alice ? aliceIds : bobIds).push(r.queued[0]!.id);
    t.clock.advance(60_000);
  }
});
afterAll(() => t.close());

const inbox = (who: string, query = '') => t.app.inject({ url: `/api/notify/inbox${query}`, headers: as(who) });

describe('inbox', () => {
  it('lists only the caller\'s own messages, newest first, with paging and the unread count', async () => {
    const first = (await inbox(alice, '?limit=2')).json();
    expect(first).toMatchObject({ total: 5, unread: 5, limit: 2, offset: 0 });
    expect(first.items.map((i: any) => i.id)).toEqual([aliceIds[4], aliceIds[3]]);
    expect(first.items[0]).toMatchObject({ subject: '新待办：事项5', category: 'task', templateKey: 'workflow.task-assigned', purpose: 'inbox-test-5', readAt: null });
    const last = (await inbox(alice, '?limit=2&offset=4')).json();
    expect(last.items.map((i: any) => i.id)).toEqual([aliceIds[0]]);
    const theirs = (await inbox(bob)).json();
    expect(theirs.items.map((i: any) => i.id)).toEqual([bobIds[1], bobIds[0]]);
    expect(theirs.total).toBe(2);
  });

  it('marks one message read, once; another person\'s message is 404 and stays unread', async () => {
    const r = await t.app.inject({ method: 'POST', url: `/api/notify/inbox/${aliceIds[1]}/read`, headers: as(alice) });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ id: aliceIds[1], readAt: t.clock.now().toISOString() });
    t.clock.advance(1000);
    const again = await t.app.inject({ method: 'POST', url: `/api/notify/inbox/${aliceIds[1]}/read`, headers: as(alice) });
    expect(again.json().readAt).toBe(r.json().readAt);
    expect(await auditActions(t, 'notify.inbox.read')).toEqual(['notify.inbox.read']);

    const stolen = await t.app.inject({ method: 'POST', url: `/api/notify/inbox/${bobIds[0]}/read`, headers: as(alice) });
    expect(stolen.statusCode).toBe(404);
    expect(stolen.json().detail).toBe('消息不存在');
    const missing = await t.app.inject({ method: 'POST', url: '/api/notify/inbox/00000000-0000-4000-8000-000000000000/read', headers: as(alice) });
    expect([missing.statusCode, missing.json().detail]).toEqual([404, '消息不存在']);
    expect((await inbox(bob)).json().unread).toBe(2);

    const unread = (await inbox(alice, '?unreadOnly=true')).json();
    expect(unread).toMatchObject({ total: 4, unread: 4 });
    expect(unread.items.map((i: any) => i.id)).not.toContain(aliceIds[1]);
  });

  it('marks all of the caller\'s messages read and nobody else\'s', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/api/notify/inbox/read-all', headers: as(alice) });
    expect(r.json()).toEqual({ updated: 4 });
    expect((await inbox(alice)).json().unread).toBe(0);
    expect((await inbox(bob)).json().unread).toBe(2);
    expect((await t.app.inject({ method: 'POST', url: '/api/notify/inbox/read-all', headers: as(alice) })).json()).toEqual({ updated: 0 });
    expect(await auditActions(t, 'notify.inbox.read-all')).toEqual(['notify.inbox.read-all']);
    expect((await events(t, 'notify.inbox.read')).map((e) => e.payload)).toEqual([{ accountId: alice, ids: [aliceIds[1]] }, { accountId: alice, count: 4 }]);
    const bobUnread = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM notification WHERE account_id = ${bob} AND read_at IS NULL`.execute(t.core.db)).rows[0]!.n;
    expect(bobUnread).toBe(2);
  });

  it('is only for signed-in personal accounts', async () => {
    expect((await t.app.inject({ url: '/api/notify/inbox' })).statusCode).toBe(401);
    t.app.authenticators.push(async (r) => (r.headers.authorization === 'Client x' ? { id: 'client:x', name: 'x', kind: 'client', permissions: new Set(['*']), scopes: ['530000'] } : null));
    expect((await t.app.inject({ url: '/api/notify/inbox', headers: { authorization: 'Client x' } })).statusCode).toBe(403);
  });
});
