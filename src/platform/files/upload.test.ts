import http from 'node:http';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { filesTestApp, type FilesTestApp } from './test-app.js';
import { exe, jpeg, pdf, png } from './test-fixtures.js';
import { UNATTACHED_LIMIT } from './upload.js';

const MAX = 64 * 1024;
let t: FilesTestApp;

beforeAll(async () => {
  t = await filesTestApp({ FILE_MAX_BYTES: String(MAX) });
});
afterAll(() => t.close());

/** Valid UTF-8 CSV of exactly n bytes. */
const csvOf = (n: number) => Buffer.from(`a,b\n${'x'.repeat(n - 4)}`, 'utf8');

describe('uploading', () => {
  it('stores a real PDF: 201 with the sniffed type and digest, audited and evented', async () => {
    const bytes = pdf('申请材料');
    const r = await t.upload('zhang', bytes, '营业执照副本（2026）.pdf', { headers: { 'content-type': 'image/png' } });
    expect(r.statusCode, r.body).toBe(201);
    const file = r.json();
    expect(file).toMatchObject({ name: '营业执照副本（2026）.pdf', size: bytes.length, mime: 'application/pdf', status: 'clean', division: '530102' });
    expect(file.digest).toMatch(/^sm3:[0-9a-f]{64}$/);
    expect(r.headers.location).toBe(`/api/files/${file.id}`);
    expect(await t.auditOf(file.id)).toEqual([{
      actor: 'user:zhang', action: 'files.file.upload', division: '530102', purpose: null,
      detail: { name: '营业执照副本（2026）.pdf', size: bytes.length, mime: 'application/pdf', digest: file.digest, status: 'clean' },
    }]);
    const events = await t.eventsOf(file.id);
    expect(events).toEqual([{ type: 'files.file.uploaded', division: '530102', payload: { id: file.id, digest: file.digest, size: bytes.length, mime: 'application/pdf', status: 'clean', division: '530102', uploader: 'user:zhang' } }]);
    // A file name can say whose ID card it is: it stays out of events that fan out to other systems.
    expect(JSON.stringify(events)).not.toContain('营业执照');
    expect(t.tempFiles()).toEqual([]);
  });

  it('accepts PNG and JPEG images, by PUT as well as POST, and takes the name from ?name= too', async () => {
    const a = await t.upload('zhang', png(), '照片.png');
    expect(a.json()).toMatchObject({ mime: 'image/png', name: '照片.png' });
    const b = await t.app.inject({ method: 'PUT', url: `/api/files?name=${encodeURIComponent('身份证 正面.jpeg')}`, headers: { authorization: 'Bearer zhang' }, payload: jpeg() });
    expect(b.statusCode, b.body).toBe(201);
    expect(b.json()).toMatchObject({ mime: 'image/jpeg', name: '身份证 正面.jpeg' });
  });

  it('stores identical content once, however many files name it', async () => {
    const bytes = png(9, 9);
    const before = t.blobs().length;
    const a = (await t.upload('zhang', bytes, 'a.png')).json();
    const b = (await t.upload('li', bytes, 'b.png')).json();
    expect(a.id).not.toBe(b.id);
    expect(a.digest).toBe(b.digest);
    expect(t.blobs().length).toBe(before + 1);
  });
});

describe('size limits', () => {
  it(`accepts exactly FILE_MAX_BYTES and refuses one byte more (413), keeping nothing`, async () => {
    const ok = await t.upload('zhang', csvOf(MAX), '名单.csv');
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ size: MAX, mime: 'text/csv' });
    const blobs = t.blobs().length;
    const files = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM file`.execute(t.core.db)).rows[0]!.n;

    // Declared too large (Content-Length): refused before a byte is read.
    const declared = await t.upload('zhang', csvOf(MAX + 1), '名单.csv');
    // Streamed without a length: refused at the first byte beyond the limit.
    const streamed = await t.upload('zhang', Readable.from([csvOf(MAX + 1).subarray(0, 40_000), csvOf(MAX + 1).subarray(40_000)]), '名单.csv');
    for (const r of [declared, streamed]) {
      expect(r.statusCode).toBe(413);
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(r.json()).toMatchObject({ code: 'FILE_TOO_LARGE', status: 413, title: '文件过大', detail: `文件不能超过 ${MAX} 字节`, limit: MAX });
    }
    expect([declared.headers.connection, streamed.headers.connection]).toEqual(['close', 'close']);
    // A refusal after the whole body was read keeps the connection.
    expect((await t.upload('zhang', exe(), 'a.pdf')).headers.connection).toBe('keep-alive');
    expect(t.tempFiles()).toEqual([]);
    expect(t.blobs().length).toBe(blobs);
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM file`.execute(t.core.db)).rows[0]!.n).toBe(files);
  });

  it('answers 413 over a real connection while the client is still sending, and keeps nothing', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as { port: number };
    const chunk = Buffer.from(`${'x,'.repeat(8191)}\n`);
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/api/files', headers: { authorization: 'Bearer zhang', 'x-file-name': 'big.csv', 'content-type': 'text/csv' } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
        res.on('error', reject);
      });
      // The server stops reading and closes: writes after that fail, which is expected.
      req.on('error', () => {});
      let sent = 0;
      const pump = () => {
        while (sent < 50 * MAX) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'FILE_TOO_LARGE', limit: MAX });
    expect(t.tempFiles()).toEqual([]);
  });

  it('lets a request lower the limit (maxBytes from a form field) but never raise it', async () => {
    const low = await t.upload('zhang', csvOf(1001), 'a.csv', { query: 'maxBytes=1000' });
    expect(low.statusCode).toBe(413);
    expect(low.json()).toMatchObject({ limit: 1000 });
    expect((await t.upload('zhang', csvOf(1000), 'a.csv', { query: 'maxBytes=1000' })).statusCode).toBe(201);
    const high = await t.upload('zhang', csvOf(MAX + 1), 'a.csv', { query: `maxBytes=${MAX * 100}` });
    expect(high.statusCode).toBe(413);
    expect(high.json()).toMatchObject({ limit: MAX });
  });
});

describe('content sniffing', () => {
  it('refuses a Windows executable renamed .pdf: 415 problem+json naming the body, zh-CN first, en on request', async () => {
    const zh = await t.upload('zhang', exe(), '发票.pdf');
    expect(zh.statusCode).toBe(415);
    expect(zh.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(zh.json()).toMatchObject({
      type: '/problems/file-type-refused', title: '不支持的文件类型', status: 415, code: 'FILE_TYPE_REFUSED',
      detail: '出于安全原因，不接受此类文件（exe）', errors: [{ pointer: '/body', code: 'type', message: '出于安全原因，不接受此类文件（exe）' }],
    });
    const en = await t.upload('zhang', exe(), 'invoice.pdf', { headers: { 'accept-language': 'en' } });
    expect(en.json()).toMatchObject({ title: 'This file type is not accepted', errors: [{ pointer: '/body', code: 'type', message: 'Files of this kind (exe) are never accepted' }] });
    expect(t.tempFiles()).toEqual([]);
  });

  it('refuses a PDF renamed .jpg, and a PNG where the form accepts only PDF', async () => {
    const renamed = await t.upload('zhang', pdf(), '照片.jpg');
    expect(renamed.statusCode).toBe(415);
    expect(renamed.json().detail).toBe('文件内容是 .pdf 格式，与文件名“照片.jpg”的扩展名不符');
    const wrongKind = await t.upload('zhang', png(), '照片.png', { query: 'accept=application/pdf' });
    expect(wrongKind.statusCode).toBe(415);
    expect(wrongKind.json().detail).toBe('此处不接受 image/png 文件');
    expect((await t.upload('zhang', png(), '照片.png', { query: `accept=${encodeURIComponent('application/pdf,image/*')}` })).statusCode).toBe(201);
  });
});

describe('bad requests', () => {
  it('names each problem: missing or undecodable name, malformed accept list, empty body', async () => {
    const noName = await t.upload('zhang', pdf(), null);
    expect(noName.statusCode).toBe(400);
    expect(noName.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ pointer: '/headers/x-file-name', code: 'required' }] });
    const badName = await t.upload('zhang', pdf(), null, { headers: { 'x-file-name': '%E4%B8.pdf' } });
    expect(badName.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ pointer: '/headers/x-file-name', code: 'encoding' }] });
    const badAccept = await t.upload('zhang', pdf(), 'a.pdf', { query: 'accept=pdf', headers: { 'accept-language': 'en' } });
    expect(badAccept.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ pointer: '/query/accept', code: 'format', message: expect.stringContaining('e.g. application/pdf') }] });
    const badMax = await t.upload('zhang', pdf(), 'a.pdf', { query: 'maxBytes=0' });
    expect(badMax.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ pointer: '/query/maxBytes', code: 'minimum' }] });
    const empty = await t.upload('zhang', Buffer.alloc(0), 'a.pdf');
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ pointer: '/body', code: 'empty', message: '文件为空' }] });
  });

  it('wants the file itself, not a multipart form', async () => {
    const r = await t.upload('zhang', Buffer.from('--x\r\nContent-Disposition: form-data; name="f"\r\n\r\nhi\r\n--x--'), 'a.txt', { headers: { 'content-type': 'multipart/form-data; boundary=x' } });
    expect(r.statusCode).toBe(415);
    expect(r.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('needs a signed-in person with files:file.upload, in a division where they hold it', async () => {
    expect((await t.upload(null, pdf(), 'a.pdf')).json()).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect((await t.upload('auditor', pdf(), 'a.pdf')).json()).toMatchObject({ status: 403, code: 'FORBIDDEN', permission: 'files:file.upload' });
    expect((await t.upload('zhang', pdf(), 'a.pdf', { query: 'division=530300' })).json()).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect((await t.upload('zhang', pdf(), 'a.pdf', { query: 'division=530102001' })).json()).toMatchObject({ division: '530102001' });
  });

  it(`refuses more than ${UNATTACHED_LIMIT} unattached uploads a day from one person (429)`, async () => {
    // Uploads that were never attached to anything, as an automated script would leave them.
    await sql`INSERT INTO file (digest, size, name, mime, uploader, division, status)
      SELECT 'sm3:' || repeat('0', 64), 1, 'x.pdf', 'application/pdf', 'user:li', '530102', 'clean' FROM generate_series(1, ${UNATTACHED_LIMIT})`.execute(t.core.db);
    const r = await t.upload('li', pdf(), 'a.pdf');
    expect(r.statusCode).toBe(429);
    expect(r.json()).toMatchObject({ code: 'RATE_LIMITED', detail: expect.stringContaining(`${UNATTACHED_LIMIT}`) });
    // Attached files do not count.
    await sql`UPDATE file SET owner_type = 'test.case', owner_id = 'c1', owner_division = '530102' WHERE uploader = 'user:li' AND name = 'x.pdf'`.execute(t.core.db);
    expect((await t.upload('li', pdf(), 'a.pdf')).statusCode).toBe(201);
  });
});
