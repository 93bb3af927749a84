import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { filesTestApp, PEOPLE, type FilesTestApp } from './test-app.js';
import { EICAR, pdf } from './test-fixtures.js';
import { commandScanner } from './scanner.js';
import { attachFiles } from './attach.js';
import { registerFileOwner } from './owners.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yunling-scan-'));
const script = path.join(dir, 'scan.sh');
const outage = path.join(dir, 'daemon-down');
// A real scanner command with ClamAV's exit codes: 0 clean, 1 infected (it knows the EICAR test
// signature), 2 error — which it answers while the marker file says its daemon is down.
fs.writeFileSync(script, `#!/bin/sh
if [ -e "$1" ]; then cat >/dev/null; echo "scan: cannot connect to daemon" >&2; exit 2; fi
if grep -q 'EICAR-STANDARD-ANTIVIRUS-TEST-FILE'; then echo 'stdin: Eicar-Test-Signature FOUND'; exit 1; fi
echo 'stdin: OK'
`);

let t: FilesTestApp;
beforeAll(async () => {
  t = await filesTestApp({ VIRUS_SCAN_COMMAND: `sh ${script} ${outage}` });
  registerFileOwner('test.scan', async () => true);
});
afterAll(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const eicar = () => Buffer.from(EICAR, 'latin1');
const fileRow = (id: string) => t.core.db.selectFrom('file').select(['status', 'digest']).where('id', '=', id).executeTakeFirstOrThrow();
const caller = { principal: PEOPLE.zhang!, actor: { id: 'user:zhang' }, lang: 'zh-CN' as const };

describe('virus scanning on upload', () => {
  it('passes clean files through the scanner', async () => {
    const r = await t.upload('zhang', pdf(), '申请表.pdf');
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().status).toBe('clean');
  });

  it('refuses the EICAR test file: 422, recorded as infected and audited, nothing kept', async () => {
    const blobs = t.blobs().length;
    const r = await t.upload('zhang', eicar(), 'eicar.txt');
    expect(r.statusCode).toBe(422);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(r.json()).toMatchObject({ type: '/problems/file-rejected', title: '文件未通过安全检查', status: 422, code: 'FILE_REJECTED', detail: '文件未通过病毒检查，已拒收' });
    const row = await t.core.db.selectFrom('file').select(['id', 'status', 'name', 'uploader']).where('status', '=', 'infected').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ name: 'eicar.txt', uploader: 'user:zhang' });
    expect(await t.auditOf(row.id)).toEqual([{
      actor: 'user:zhang', action: 'files.file.reject', division: '530102', purpose: null,
      detail: expect.objectContaining({ name: 'eicar.txt', scanner: 'command:sh', finding: 'stdin: Eicar-Test-Signature FOUND' }),
    }]);
    expect(await t.eventsOf(row.id)).toEqual([{ type: 'files.file.rejected', division: '530102', payload: expect.objectContaining({ id: row.id, reason: 'infected' }) }]);
    expect(t.blobs().length).toBe(blobs);
    expect(t.tempFiles()).toEqual([]);
    // It cannot be fetched either, not even by the person who sent it.
    expect((await t.download('zhang', row.id)).statusCode).toBe(404);
  });
});

describe('when the scanner fails', () => {
  it('keeps the file as pending-scan, unusable, and retries until the scanner answers', async () => {
    fs.writeFileSync(outage, '');
    const r = await t.upload('zhang', pdf('待扫描'), '待扫描.pdf');
    expect(r.statusCode, r.body).toBe(201);
    const { id, status } = r.json();
    expect(status).toBe('pending-scan');
    expect((await t.download('zhang', id)).json()).toMatchObject({ status: 409, code: 'INVALID_STATE' });
    const refused = await t.core.db.transaction().execute((tx) => attachFiles(tx, caller, [id], { type: 'test.scan', id: 'c1', division: '530102' })).catch((e) => e);
    expect(refused).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ pointer: '/files/0', code: 'pending-scan' }] });

    // Still down at the first retry: the job fails and is retried later.
    t.clock.advance(61_000);
    await t.core.jobs.runDue();
    expect((await fileRow(id)).status).toBe('pending-scan');
    const job = (await sql<{ status: string; last_error: string }>`SELECT status, last_error FROM job WHERE key = ${`files.scan:${id}`}`.execute(t.core.db)).rows[0]!;
    expect(job.status).toBe('pending');
    expect(job.last_error).toContain('cannot connect to daemon');

    fs.rmSync(outage);
    t.clock.advance(3_600_000);
    await t.core.jobs.runDue();
    expect((await fileRow(id)).status).toBe('clean');
    expect((await t.auditOf(id)).map((a) => [a.actor, a.action])).toEqual([['user:zhang', 'files.file.upload'], ['system:files', 'files.file.scan']]);
    expect((await t.eventsOf(id)).map((e) => e.type)).toEqual(['files.file.uploaded', 'files.file.scanned']);
    expect((await t.download('zhang', id)).statusCode).toBe(200);
  });

  it('finds malware on the retry: infected, its blob deleted, rejected event', async () => {
    fs.writeFileSync(outage, '');
    const r = await t.upload('li', eicar(), 'later.txt');
    const { id, status } = r.json();
    expect(status).toBe('pending-scan');
    const { digest } = await fileRow(id);
    const blobName = `sm3-${digest.slice(4)}`;
    expect(t.blobs()).toContain(blobName);
    fs.rmSync(outage);
    t.clock.advance(61_000);
    await t.core.jobs.runDue();
    expect((await fileRow(id)).status).toBe('infected');
    expect(t.blobs()).not.toContain(blobName);
    expect(await t.eventsOf(id)).toEqual([
      expect.objectContaining({ type: 'files.file.uploaded' }),
      { type: 'files.file.rejected', division: '530102', payload: expect.objectContaining({ id, reason: 'infected' }) },
    ]);
    expect((await t.auditOf(id)).at(-1)).toMatchObject({ actor: 'system:files', action: 'files.file.reject', detail: { finding: 'stdin: Eicar-Test-Signature FOUND' } });
    expect((await t.download('li', id)).statusCode).toBe(404);
  });
});

describe('the command scanner', () => {
  const scan = (argv: string[], input = 'hello', timeoutMs?: number) => commandScanner(argv, { timeoutMs }).scan(Readable.from([Buffer.from(input)]));

  it('reads exit codes: 0 clean, 1 infected, anything else an error', async () => {
    expect(await scan(['sh', script, outage], 'plain text')).toEqual({ verdict: 'clean', detail: 'stdin: OK' });
    expect((await scan(['sh', script, outage], EICAR)).verdict).toBe('infected');
    expect(await scan(['sh', '-c', 'cat >/dev/null; echo broken >&2; exit 3'])).toEqual({ verdict: 'error', detail: 'broken (exit 3)' });
  });

  it('does not trust a "clean" from a scanner that never read the file, nor a missing or hung scanner', async () => {
    expect((await scan(['true'], 'x'.repeat(1_000_000))).verdict).toBe('error');
    expect((await scan(['/nonexistent/clamdscan'])).verdict).toBe('error');
    expect(await scan(['sleep', '30'], 'x', 300)).toEqual({ verdict: 'error', detail: 'no answer within 300 ms' });
  });
});
