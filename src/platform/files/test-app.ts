// Test helper (excluded from the build): an app on a fresh database with a few people to act as
// (Authorization: Bearer <key>), and small helpers around the upload and download routes.
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { testApp } from '../../../test/db.js';
import type { Principal } from '../../core/http/auth.js';
import { person } from './test-fixtures.js';

const CITIZEN = ['services:application.create', 'files:file.upload'];
const CLERK = ['services:case.read', 'services:case.accept', 'files:file.upload'];

export const PEOPLE: Record<string, Principal> = {
  // Two residents of 五华区 (530102).
  zhang: person('user:zhang', '张三', 'citizen', [{ role: 'citizen', division: '530102', permissions: CITIZEN }]),
  li: person('user:li', '李四', 'citizen', [{ role: 'citizen', division: '530102', permissions: CITIZEN }]),
  // Window clerks: one in 五华区, one in 曲靖市 (530300, another prefecture).
  whClerk: person('user:wh-clerk', '五华区窗口', 'staff', [{ role: 'window_clerk', division: '530102', permissions: CLERK }]),
  qjClerk: person('user:qj-clerk', '曲靖市窗口', 'staff', [{ role: 'window_clerk', division: '530300', permissions: CLERK }]),
  // May read the audit log, may not upload.
  auditor: person('user:auditor', '审计员', 'staff', [{ role: 'auditor', division: '530000', permissions: ['core:audit.read'] }]),
};

export type FilesTestApp = Awaited<ReturnType<typeof filesTestApp>>;

export async function filesTestApp(env: Record<string, string> = {}) {
  const t = await testApp({ env });
  t.app.authenticators.push(async (r) => {
    const m = /^Bearer (\w+)$/.exec(r.headers.authorization ?? '');
    return m ? (PEOPLE[m[1]!] ?? null) : null;
  });
  const filesDir = path.join(t.core.config.dataDir, 'files');

  const upload = (who: string | null, body: Buffer | NodeJS.ReadableStream, name: string | null, opts: { query?: string; headers?: Record<string, string> } = {}) =>
    t.app.inject({
      method: 'POST',
      url: `/api/files${opts.query ? `?${opts.query}` : ''}`,
      headers: {
        'content-type': 'application/octet-stream',
        ...(who ? { authorization: `Bearer ${who}` } : {}),
        ...(name === null ? {} : { 'x-file-name': encodeURIComponent(name) }),
        ...opts.headers,
      },
      payload: body as Buffer,
    });

  const download = (who: string | null, id: string, query = '') =>
    t.app.inject({ method: 'GET', url: `/api/files/${id}${query}`, headers: who ? { authorization: `Bearer ${who}` } : {} });

  /** Blobs in the local store (temporary files excluded). */
  const blobs = () => (fs.existsSync(filesDir) ? fs.readdirSync(filesDir, { recursive: true, withFileTypes: true }) : [])
    .filter((e) => e.isFile() && !e.parentPath.endsWith(`${path.sep}tmp`)).map((e) => e.name);
  const tempFiles = () => (fs.existsSync(path.join(filesDir, 'tmp')) ? fs.readdirSync(path.join(filesDir, 'tmp')) : []);

  const auditOf = async (fileId: string) => (await sql<{ actor: string; action: string; division: string | null; purpose: string | null; detail: Record<string, unknown> }>`
    SELECT actor, action, division, purpose, detail FROM audit_log WHERE object_type = 'file' AND object_id = ${fileId} ORDER BY seq`.execute(t.core.db)).rows;
  const eventsOf = async (fileId: string) => (await sql<{ type: string; division: string | null; payload: Record<string, unknown> }>`
    SELECT type, division, payload FROM outbox WHERE aggregate_type = 'file' AND aggregate_id = ${fileId} ORDER BY seq`.execute(t.core.db)).rows;

  return { ...t, upload, download, blobs, tempFiles, auditOf, eventsOf, filesDir };
}
