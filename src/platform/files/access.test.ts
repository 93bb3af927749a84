import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scopesFor, type Principal } from '../../core/http/auth.js';
import { isWithin } from '../../core/divisions/service.js';
import { filesTestApp, PEOPLE, type FilesTestApp } from './test-app.js';
import { png, pdf } from './test-fixtures.js';
import { attachFiles, describeFiles, type FileOwner } from './attach.js';
import { registerFileOwner } from './owners.js';
import type { Caller } from './runtime.js';

let t: FilesTestApp;

// A stand-in for the workflow engine's cases: the applicant may read a case's files, and so may
// staff holding services:case.read in the case's division.
const CASES = new Map<string, { division: string; applicant: string }>();
function mayReadCase(principal: Principal, caseId: string): boolean {
  const c = CASES.get(caseId);
  if (!c) return false;
  return principal.id === c.applicant || scopesFor(principal, 'services:case.read').some((s) => isWithin(c.division, s));
}

beforeAll(async () => {
  t = await filesTestApp();
  registerFileOwner('test.case', async (_core, principal, ownerId) => mayReadCase(principal, ownerId));
  CASES.set('case-1', { division: '530102', applicant: 'user:zhang' });
  CASES.set('case-2', { division: '530102', applicant: 'user:zhang' });
});
afterAll(() => t.close());

const callerOf = (who: string, lang: 'zh-CN' | 'en' = 'zh-CN'): Caller => ({ principal: PEOPLE[who]!, actor: { id: PEOPLE[who]!.id, requestId: 'req-test' }, lang });
const caseOwner = (id: string): FileOwner => ({ type: 'test.case', id, division: CASES.get(id)!.division });
async function uploaded(who: string, name = '材料.pdf', bytes = pdf(name)): Promise<string> {
  const r = await t.upload(who, bytes, name);
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id;
}
const attach = (who: string, ids: string[], owner: FileOwner, lang?: 'zh-CN' | 'en') => t.core.db.transaction().execute((tx) => attachFiles(tx, callerOf(who, lang), ids, owner));
/** The problem body without the parts that differ per request. */
const problem = (body: string) => {
  const { instance: _i, requestId: _r, ...rest } = JSON.parse(body);
  return rest;
};

describe('downloading an unattached file', () => {
  it('gives the uploader their file back, streamed, with safe headers, without an audit entry', async () => {
    const bytes = pdf('营业执照');
    const id = await uploaded('zhang', '营业执照副本（2026）.pdf', bytes);
    const r = await t.download('zhang', id);
    expect(r.statusCode).toBe(200);
    expect(r.rawPayload.equals(bytes)).toBe(true);
    const { digest } = (await describeFiles(t.core.db, [id]))[0]!;
    expect(r.headers).toMatchObject({
      'content-type': 'application/pdf', 'content-length': String(bytes.length), 'x-content-type-options': 'nosniff',
      etag: `"${digest}"`, 'cache-control': 'private, no-cache',
    });
    // Chinese names survive the round trip in filename* (RFC 5987).
    const disposition = String(r.headers['content-disposition']);
    expect(disposition.startsWith('attachment; filename="')).toBe(true);
    expect(decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(disposition)![1]!)).toBe('营业执照副本（2026）.pdf');
    expect((await t.auditOf(id)).map((a) => a.action)).toEqual(['files.file.upload']);
  });

  it('shows PDFs and images inline only when asked, anything else always as a download', async () => {
    const img = await uploaded('zhang', '照片.png', png());
    expect((await t.download('zhang', img, '?disposition=inline')).headers['content-disposition']).toMatch(/^inline; /);
    const csv = await uploaded('zhang', '名单.csv', Buffer.from('姓名\n张三\n'));
    const r = await t.download('zhang', csv, '?disposition=inline');
    expect(r.headers['content-disposition']).toMatch(/^attachment; /);
    expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
  });

  it('answers anyone else exactly as for a file that does not exist (404), and asks strangers to sign in', async () => {
    const id = await uploaded('zhang');
    const stranger = await t.download('li', id);
    const missing = await t.download('li', '00000000-0000-4000-8000-000000000000');
    expect(stranger.statusCode).toBe(404);
    expect(problem(stranger.body)).toEqual(problem(missing.body));
    expect(problem(stranger.body)).toEqual({ type: '/problems/not-found', title: '找不到您要的内容', status: 404, detail: '文件不存在', code: 'NOT_FOUND' });
    // Staff of the same division do not see unattached uploads either.
    expect((await t.download('whClerk', id)).statusCode).toBe(404);
    expect((await t.download(null, id)).json()).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect((await t.download('zhang', 'not-a-uuid')).json()).toMatchObject({ status: 400, errors: [{ pointer: '/params/id', code: 'format' }] });
  });
});

describe('attaching files to a case', () => {
  it('marks the files owned in the caller\'s transaction, audited and evented per file', async () => {
    const a = await uploaded('zhang', 'a.pdf');
    const b = await uploaded('zhang', 'b.png', png(3, 3));
    const files = await attach('zhang', [a, b], caseOwner('case-1'));
    expect(files.map((f) => [f.id, f.owner])).toEqual([[a, { type: 'test.case', id: 'case-1', division: '530102' }], [b, { type: 'test.case', id: 'case-1', division: '530102' }]]);
    expect(await t.auditOf(a)).toEqual([
      expect.objectContaining({ action: 'files.file.upload' }),
      { actor: 'user:zhang', action: 'files.file.attach', division: '530102', purpose: 'test.case:case-1', detail: expect.objectContaining({ owner: { type: 'test.case', id: 'case-1' }, name: 'a.pdf' }) },
    ]);
    expect((await t.eventsOf(b)).map((e) => [e.type, e.payload.owner])).toEqual([['files.file.uploaded', undefined], ['files.file.attached', { type: 'test.case', id: 'case-1' }]]);
    // Attaching again to the same case is harmless (a retried request): nothing new is written.
    await attach('zhang', [a], caseOwner('case-1'));
    expect((await t.auditOf(a)).length).toBe(2);
  });

  it('leaves the files unattached when the caller\'s transaction rolls back', async () => {
    const id = await uploaded('zhang');
    await expect(t.core.db.transaction().execute(async (tx) => {
      await attachFiles(tx, callerOf('zhang'), [id], caseOwner('case-1'));
      throw new Error('saving the case failed');
    })).rejects.toThrow('saving the case failed');
    expect((await describeFiles(t.core.db, [id]))[0]!.owner).toBeNull();
    expect((await t.auditOf(id)).map((a) => a.action)).toEqual(['files.file.upload']);
  });

  it('refuses, naming every bad id: someone else\'s, missing, malformed, attached elsewhere — and attaches none', async () => {
    const mine = await uploaded('zhang');
    const elsewhere = await uploaded('zhang');
    await attach('zhang', [elsewhere], caseOwner('case-2'));
    const his = await uploaded('li');
    const err = await attach('zhang', [mine, his, '00000000-0000-4000-8000-000000000000', 'nonsense', elsewhere], caseOwner('case-1')).catch((e) => e);
    expect(err).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
    expect(err.errors).toEqual([
      { pointer: '/files/1', code: 'not-found', message: `文件 ${his} 不存在` },
      { pointer: '/files/2', code: 'not-found', message: '文件 00000000-0000-4000-8000-000000000000 不存在' },
      { pointer: '/files/3', code: 'not-found', message: '文件 nonsense 不存在' },
      { pointer: '/files/4', code: 'attached', message: `文件 ${elsewhere} 已用于其他事项` },
    ]);
    expect((await describeFiles(t.core.db, [mine]))[0]!.owner).toBeNull();
    const en = await attach('zhang', [his], caseOwner('case-1'), 'en').catch((e) => e);
    expect(en.errors).toEqual([{ pointer: '/files/0', code: 'not-found', message: `File ${his} does not exist` }]);
  });

  it('also takes the bare Actor of a request as the caller', async () => {
    const id = await uploaded('zhang');
    const [f] = await t.core.db.transaction().execute((tx) => attachFiles(tx, { id: 'user:zhang', requestId: 'r1' }, [id], caseOwner('case-2')));
    expect(f!.owner).toEqual({ type: 'test.case', id: 'case-2', division: '530102' });
  });
});

describe('downloading an attached file', () => {
  let id: string;
  beforeAll(async () => {
    id = await uploaded('zhang', '病历.pdf');
    await attach('zhang', [id], caseOwner('case-1'));
  });

  it('lets whoever the owner allows read it — the applicant and staff of the case\'s division — and audits each read with the case as purpose', async () => {
    for (const who of ['zhang', 'whClerk']) {
      const r = await t.download(who, id);
      expect(r.statusCode, who).toBe(200);
    }
    const reads = (await t.auditOf(id)).filter((a) => a.action === 'files.file.download');
    expect(reads).toEqual(['user:zhang', 'user:wh-clerk'].map((actor) => ({
      actor, action: 'files.file.download', division: '530102', purpose: 'test.case:case-1', detail: expect.objectContaining({ name: '病历.pdf' }),
    })));
  });

  it('answers 404 to another resident and to staff of another division, and audits nothing for them', async () => {
    const before = (await t.auditOf(id)).length;
    for (const who of ['li', 'qjClerk']) {
      const r = await t.download(who, id);
      expect(r.statusCode, who).toBe(404);
      expect(r.json()).toMatchObject({ code: 'NOT_FOUND', detail: '文件不存在' });
    }
    expect((await t.auditOf(id)).length).toBe(before);
  });

  it('trusts no one for an owner type nobody registered, not even the uploader', async () => {
    const orphan = await uploaded('zhang');
    await attach('zhang', [orphan], { type: 'test.unregistered', id: 'x', division: '530102' });
    expect((await t.download('zhang', orphan)).statusCode).toBe(404);
  });
});

describe('describeFiles', () => {
  it('returns metadata in the order asked, skipping unknown and malformed ids', async () => {
    const a = await uploaded('zhang', '一.pdf');
    const b = await uploaded('li', '二.png', png(2, 2));
    const list = await describeFiles(t.core.db, [b, 'junk', '00000000-0000-4000-8000-000000000000', a.toUpperCase()]);
    expect(list.map((f) => [f.id, f.name, f.mime, f.uploader, f.status])).toEqual([
      [b, '二.png', 'image/png', 'user:li', 'clean'],
      [a, '一.pdf', 'application/pdf', 'user:zhang', 'clean'],
    ]);
    expect(list[0]).toMatchObject({ size: png(2, 2).length, division: '530102', owner: null, digest: expect.stringMatching(/^sm3:/) });
  });
});
