// Bulk import of departments or staff from a sheet: every row is checked first and the report
// names each bad row and column; only a file without a single error is written, and then all of
// it in ONE transaction with its audit entries (a database error mid-way rolls everything back).
import { randomUUID } from 'node:crypto';
import type { Core } from '../../core/index.js';
import { recordChange } from '../../core/audit/record.js';
import { getDivision } from '../../core/divisions/service.js';
import { maskMobile, validateDivisionCode, type LocalizedText } from '../../core/validators/index.js';
import { assignRoleTx, blind, validateNewAccount } from '../identity/accounts.js';
import { hashPassword } from '../identity/password.js';
import { COLUMNS, findColumn, type Column, type ImportKind } from './columns.js';
import { MANAGE, mayGrant, mayIn, t, type Caller } from './access.js';
import { codeTaken, DEPARTMENT_CODE, MSG, nameProblem, normalizeCode, normalizeName, POST_MAX } from './departments.js';
import type { SheetRow } from './sheet.js';
import '../identity/tables.js';
import './tables.js';

export interface ImportError {
  /** Row number as the spreadsheet shows it (the header is row 1). */
  row: number;
  /** The column's header, as in the template. */
  column: string;
  code: string;
  message: string;
}

export interface ImportReport {
  /** True when the file has no error (and, unless dryRun, was written). */
  ok: boolean;
  dryRun: boolean;
  kind: ImportKind;
  /** Data rows in the file (blank rows not counted). */
  rows: number;
  /** Departments or accounts created (on a dry run: that would be created). */
  created: number;
  /** Staff import: posts added to departments because a row named them. */
  postsCreated?: number;
  errors: ImportError[];
  /** More than MAX_REPORTED_ERRORS errors: only the first ones are listed. */
  truncated?: boolean;
}

export const MAX_REPORTED_ERRORS = 1000;

/** The account-field encryption context identity uses (accounts.ts AAD.mobile). */
const MOBILE_AAD = Buffer.from('account.mobile');

class Report {
  readonly errors: ImportError[] = [];
  constructor(private readonly lang: Caller['lang']) {}
  add(row: number, col: Column, code: string, m: LocalizedText): void {
    this.errors.push({ row, column: col.header, code, message: t(this.lang, m) });
  }
  get failed(): boolean {
    return this.errors.length > 0;
  }
  finish(kind: ImportKind, dryRun: boolean, rows: number, created: number, extra: Partial<ImportReport> = {}): ImportReport {
    const order = new Map(COLUMNS[kind].map((c, i) => [c.header, i]));
    const errors = [...this.errors].sort((a, b) => a.row - b.row || (order.get(a.column) ?? 99) - (order.get(b.column) ?? 99));
    const ok = errors.length === 0;
    return {
      ok, dryRun, kind, rows, created: ok ? created : 0, ...extra,
      errors: errors.slice(0, MAX_REPORTED_ERRORS),
      ...(errors.length > MAX_REPORTED_ERRORS ? { truncated: true } : {}),
    };
  }
}

interface Parsed {
  header: SheetRow;
  index: Map<string, number>;
  data: SheetRow[];
}

const isBlank = (r: SheetRow) => r.cells.every((c) => c.trim() === '');

/** Header → column positions (unknown columns are ignored); blank rows dropped. */
function parse(kind: ImportKind, rows: SheetRow[], report: Report): Parsed | null {
  const nonBlank = rows.filter((r) => !isBlank(r));
  const header = nonBlank[0];
  if (!header) return null;
  const index = new Map<string, number>();
  header.cells.forEach((text, i) => {
    const c = findColumn(COLUMNS[kind], text);
    if (!c) return;
    if (index.has(c.key)) report.add(header.row, c, 'duplicate-column', { 'zh-CN': `表头中“${c.header}”列重复`, en: `The header has the column ${c.header} twice` });
    else index.set(c.key, i);
  });
  for (const c of COLUMNS[kind]) {
    if (c.required && !index.has(c.key)) report.add(header.row, c, 'missing-column', { 'zh-CN': `缺少必填列“${c.header}”`, en: `The required column ${c.header} (${c.en}) is missing` });
  }
  return { header, index, data: nonBlank.slice(1) };
}

const cell = (p: Parsed, r: SheetRow, key: string): string => {
  const i = p.index.get(key);
  return i === undefined ? '' : (r.cells[i] ?? '').trim();
};

const col = (kind: ImportKind, key: string): Column => COLUMNS[kind].find((c) => c.key === key)!;

const REQUIRED: LocalizedText = { 'zh-CN': '必填项', en: 'is required' };

/**
 * Checks the division of a row: a valid code, known, and inside the caller's scope for every
 * permission in `needs`. Returns the canonical code, or null (the error is reported).
 */
async function rowDivision(core: Core, caller: Caller, known: Map<string, boolean>, raw: string, needs: string[], report: Report, row: number, c: Column): Promise<string | null> {
  if (!raw) {
    report.add(row, c, 'required', REQUIRED);
    return null;
  }
  const v = validateDivisionCode(raw);
  if (!v.ok) {
    report.add(row, c, v.reason, v.message);
    return null;
  }
  const code = v.canonical;
  if (!known.has(code)) known.set(code, !!(await getDivision(core.db, code)));
  if (!known.get(code)) {
    report.add(row, c, 'unknown', { 'zh-CN': `行政区划 ${code} 不存在`, en: `Unknown division ${code}` });
    return null;
  }
  if (!needs.every((perm) => mayIn(caller.principal, perm, code))) {
    report.add(row, c, 'out-of-scope', { 'zh-CN': `您无权操作行政区划 ${code} 的数据`, en: `You may not act in division ${code}` });
    return null;
  }
  return code;
}

/** The departments of a division (code → id), read once per division. */
function departmentIndex(core: Core) {
  const cache = new Map<string, Map<string, string>>();
  return async (division: string): Promise<Map<string, string>> => {
    let m = cache.get(division);
    if (!m) {
      const rows = await core.db.selectFrom('department').select(['id', 'code']).where('division', '=', division).execute();
      m = new Map(rows.map((r) => [r.code, r.id]));
      cache.set(division, m);
    }
    return m;
  };
}

export interface ImportOptions {
  dryRun: boolean;
}

export async function importSheet(core: Core, caller: Caller, kind: ImportKind, rows: SheetRow[], opts: ImportOptions): Promise<ImportReport | null> {
  return kind === 'departments' ? importDepartments(core, caller, rows, opts) : importStaff(core, caller, rows, opts);
}

// ------------------------------------------------------------------------------------- departments

interface DeptRow {
  row: number;
  division: string | null;
  code: string;
  name: string;
  parentCode: string;
}

const key = (division: string, code: string) => `${division}\u0000${code}`;

async function importDepartments(core: Core, caller: Caller, rows: SheetRow[], opts: ImportOptions): Promise<ImportReport | null> {
  const kind: ImportKind = 'departments';
  const report = new Report(caller.lang);
  const p = parse(kind, rows, report);
  if (!p) return null;
  if (report.failed) return report.finish(kind, opts.dryRun, p.data.length, 0);
  const C = { division: col(kind, 'division'), code: col(kind, 'code'), name: col(kind, 'name'), parentCode: col(kind, 'parentCode') };
  const known = new Map<string, boolean>();
  const existing = departmentIndex(core);
  const inFile = new Map<string, DeptRow>();
  const list: DeptRow[] = [];

  for (const r of p.data) {
    const d: DeptRow = {
      row: r.row,
      division: await rowDivision(core, caller, known, cell(p, r, 'division'), [MANAGE], report, r.row, C.division),
      code: normalizeCode(cell(p, r, 'code')),
      name: normalizeName(cell(p, r, 'name')),
      parentCode: normalizeCode(cell(p, r, 'parentCode')),
    };
    list.push(d);
    if (!d.code) report.add(r.row, C.code, 'required', REQUIRED);
    else if (!DEPARTMENT_CODE.test(d.code)) report.add(r.row, C.code, 'pattern', MSG.codeFormat);
    else if (d.division) {
      const first = inFile.get(key(d.division, d.code));
      if (first) report.add(r.row, C.code, 'duplicate', { 'zh-CN': `与第 ${first.row} 行的部门编码重复`, en: `Same department code as row ${first.row}` });
      else {
        inFile.set(key(d.division, d.code), d);
        // Only for a division in scope: nothing is revealed about another prefecture's departments.
        if ((await existing(d.division)).has(d.code)) report.add(r.row, C.code, 'exists', codeTaken(d.code));
      }
    }
    if (!d.name) report.add(r.row, C.name, 'required', REQUIRED);
    else if (nameProblem(d.name)) report.add(r.row, C.name, 'length', MSG.nameLength);
  }

  // Parents: in the file (same division) or already in the database.
  for (const d of list) {
    if (!d.parentCode || !d.division || !d.code) continue;
    if (d.parentCode === d.code) report.add(d.row, C.parentCode, 'cycle', { 'zh-CN': '上级部门不能是本部门', en: 'A department cannot be its own parent' });
    else if (!inFile.has(key(d.division, d.parentCode)) && !(await existing(d.division)).has(d.parentCode)) {
      report.add(d.row, C.parentCode, 'unknown', { 'zh-CN': `上级部门编码 ${d.parentCode} 在行政区划 ${d.division} 中不存在（本文件和系统中都没有）`, en: `No department ${d.parentCode} in division ${d.division}, neither in this file nor in the system` });
    }
  }

  // Cycles inside the file (A under B, B under A): each row on a cycle is reported.
  const parentInFile = (d: DeptRow) => (d.division && d.parentCode && d.parentCode !== d.code ? inFile.get(key(d.division, d.parentCode)) : undefined);
  const state = new Map<DeptRow, 1 | 2>();
  for (const start of inFile.values()) {
    const path: DeptRow[] = [];
    let cur: DeptRow | undefined = start;
    while (cur && !state.has(cur)) {
      state.set(cur, 1);
      path.push(cur);
      cur = parentInFile(cur);
    }
    if (cur && state.get(cur) === 1) {
      for (const d of path.slice(path.indexOf(cur))) report.add(d.row, C.parentCode, 'cycle', { 'zh-CN': '上级部门关系形成循环', en: 'The parent relations form a cycle' });
    }
    for (const d of path) state.set(d, 2);
  }

  if (report.failed) return report.finish(kind, opts.dryRun, list.length, 0);
  if (opts.dryRun) return report.finish(kind, true, list.length, list.length);

  // Parents before children.
  const order: DeptRow[] = [];
  const placed = new Set<DeptRow>();
  for (const d of list) {
    const chain: DeptRow[] = [];
    for (let cur: DeptRow | undefined = d; cur && !placed.has(cur); cur = parentInFile(cur)) chain.push(cur);
    for (const c of chain.reverse()) {
      placed.add(c);
      order.push(c);
    }
  }
  const importId = randomUUID();
  const dbIds = new Map<string, Map<string, string>>();
  for (const d of order) dbIds.set(d.division!, await existing(d.division!));
  await core.db.transaction().execute(async (tx) => {
    const ids = new Map<string, string>();
    for (const d of order) {
      const division = d.division!;
      const parentId = d.parentCode ? (ids.get(key(division, d.parentCode)) ?? dbIds.get(division)!.get(d.parentCode)!) : null;
      const row = await tx.insertInto('department').values({ division, code: d.code, name: d.name, parent_id: parentId }).returning('id').executeTakeFirstOrThrow();
      ids.set(key(division, d.code), row.id);
      await recordChange(tx, caller.actor, { action: 'org.department.create', object: { type: 'department', id: row.id }, division, detail: { code: d.code, name: d.name, parentId, importId } },
        { type: 'org.department.created', payload: { id: row.id, division, code: d.code, name: d.name, parentId } });
    }
    await auditImport(tx, caller, importId, kind, order.map((d) => d.division!), { rows: list.length, created: order.length });
  });
  return report.finish(kind, false, list.length, order.length);
}

async function auditImport(tx: Parameters<typeof recordChange>[0], caller: Caller, importId: string, kind: ImportKind, divisions: string[], counts: Record<string, number>): Promise<void> {
  const distinct = [...new Set(divisions)].sort();
  await recordChange(tx, caller.actor, { action: 'org.import', object: { type: 'org_import', id: importId }, division: distinct.length === 1 ? distinct[0] : null, detail: { kind, divisions: distinct, ...counts } },
    { type: 'org.import.completed', payload: { id: importId, kind, divisions: distinct, ...counts } });
}

// ------------------------------------------------------------------------------------------- staff

interface StaffRow {
  row: number;
  username: string;
  name: string;
  mobile: string | null;
  division: string;
  departmentId: string | null;
  post: string | null;
  roles: string[];
  password: string;
}

const POINTER_COLUMN: Record<string, string> = { '/username': 'username', '/name': 'name', '/password': 'password', '/mobile': 'mobile' };

async function importStaff(core: Core, caller: Caller, rows: SheetRow[], opts: ImportOptions): Promise<ImportReport | null> {
  const kind: ImportKind = 'staff';
  const { principal: pr, lang } = caller;
  const report = new Report(lang);
  const p = parse(kind, rows, report);
  if (!p) return null;
  if (report.failed) return report.finish(kind, opts.dryRun, p.data.length, 0);
  const C = Object.fromEntries(COLUMNS.staff.map((c) => [c.key, c])) as Record<string, Column>;
  const known = new Map<string, boolean>();
  const existing = departmentIndex(core);
  const roles = new Map((await core.db.selectFrom('role').select(['code', 'permissions']).execute()).map((r) => [r.code, r.permissions]));
  const usernames = new Map<string, number>();
  const good: StaffRow[] = [];
  let rowCount = 0;

  for (const r of p.data) {
    rowCount++;
    const before = report.errors.length;
    const raw = (k: string) => cell(p, r, k);
    const division = await rowDivision(core, caller, known, raw('division'), [MANAGE, 'identity:account.manage'], report, r.row, C.division);
    const username = raw('username');
    const roleCodes = [...new Set(raw('roles').split(/[,，、;；\s]+/).filter(Boolean))];
    const password = raw('password');
    if (!password) report.add(r.row, C.password, 'required', REQUIRED);
    if (!username) report.add(r.row, C.username, 'required', REQUIRED);
    else {
      const first = usernames.get(username.toLowerCase());
      if (first) report.add(r.row, C.username, 'duplicate', { 'zh-CN': `与第 ${first} 行的用户名重复`, en: `Same username as row ${first}` });
      else usernames.set(username.toLowerCase(), r.row);
    }
    if (!raw('name')) report.add(r.row, C.name, 'required', REQUIRED);
    // Identity's own rules for a new account (username format and uniqueness, name, password policy, mobile, roles).
    const { errors, normalized } = await validateNewAccount(core, {
      type: 'staff', username, name: raw('name'), division: division ?? raw('division'),
      password: password || undefined, mobile: raw('mobile') || undefined, roles: roleCodes,
    }, lang);
    for (const e of errors) {
      const k = POINTER_COLUMN[e.pointer] ?? (e.pointer.startsWith('/roles/') ? 'roles' : null);
      if (!k) continue; // '/division' is reported above
      if ((k === 'username' && !username) || (k === 'name' && !raw('name'))) continue;
      report.errors.push({ row: r.row, column: C[k].header, code: e.code, message: e.message });
    }
    let departmentId: string | null = null;
    const deptCode = normalizeCode(raw('department'));
    if (deptCode && division) {
      departmentId = (await existing(division)).get(deptCode) ?? null;
      if (!departmentId) report.add(r.row, C.department, 'unknown', { 'zh-CN': `部门编码 ${deptCode} 在行政区划 ${division} 中不存在`, en: `No department ${deptCode} in division ${division}` });
    }
    const post = normalizeName(raw('post')) || null;
    if (post && !deptCode) report.add(r.row, C.post, 'department', { 'zh-CN': '填写职务时须同时填写部门编码', en: 'A post needs a department code' });
    else if (post && nameProblem(post, POST_MAX)) report.add(r.row, C.post, 'length', MSG.postLength);
    if (division) {
      for (const code of roleCodes) {
        const perms = roles.get(code);
        if (perms && !mayGrant(pr, division, perms)) {
          report.add(r.row, C.roles, 'not-grantable', { 'zh-CN': `您不能授予角色 ${code}（超出您在该行政区划的权限）`, en: `You may not grant the role ${code} (beyond your own permissions in this division)` });
        }
      }
    }
    if (report.errors.length === before && division) {
      good.push({ row: r.row, username: normalized.username, name: normalized.name, mobile: normalized.mobile ?? null, division, departmentId, post, roles: roleCodes, password });
    }
  }

  if (report.failed) return report.finish(kind, opts.dryRun, rowCount, 0);

  // Posts named in the file that their department does not define yet are added with the import.
  const wanted = new Map<string, { departmentId: string; name: string; division: string }>();
  for (const s of good) if (s.departmentId && s.post) wanted.set(`${s.departmentId}\u0000${s.post}`, { departmentId: s.departmentId, name: s.post, division: s.division });
  const missingPosts = async (ex: Parameters<typeof recordChange>[0]) => {
    if (wanted.size === 0) return [];
    const have = await ex.selectFrom('org_post').select(['department_id', 'name']).where('department_id', 'in', [...new Set([...wanted.values()].map((w) => w.departmentId))]).execute();
    const got = new Set(have.map((h) => `${h.department_id}\u0000${h.name}`));
    return [...wanted.entries()].filter(([k]) => !got.has(k)).map(([, v]) => v);
  };
  if (opts.dryRun) return report.finish(kind, true, rowCount, good.length, { postsCreated: (await missingPosts(core.db)).length });

  // Hash outside the transaction (argon2id is deliberately slow), a few at a time.
  const hashes: string[] = new Array(good.length);
  for (let i = 0; i < good.length; i += 4) {
    const batch = good.slice(i, i + 4);
    (await Promise.all(batch.map((s) => hashPassword(s.password)))).forEach((h, j) => (hashes[i + j] = h));
  }
  const importId = randomUUID();
  let postsCreated = 0;
  await core.db.transaction().execute(async (tx) => {
    for (const w of await missingPosts(tx)) {
      const row = await tx.insertInto('org_post').values({ department_id: w.departmentId, name: w.name })
        .onConflict((oc) => oc.columns(['department_id', 'name']).doNothing()).returning('id').executeTakeFirst();
      if (!row) continue;
      postsCreated++;
      await recordChange(tx, caller.actor, { action: 'org.post.create', object: { type: 'org_post', id: row.id }, division: w.division, detail: { departmentId: w.departmentId, name: w.name, importId } },
        { type: 'org.post.created', payload: { id: row.id, departmentId: w.departmentId, division: w.division, name: w.name } });
    }
    for (const [i, s] of good.entries()) {
      const row = await tx.insertInto('account').values({
        type: 'staff', username: s.username, name: s.name, division: s.division, password_hash: hashes[i]!,
        id_number_enc: null, id_number_bidx: null, id_number_masked: null,
        mobile_enc: s.mobile ? core.crypto.encrypt(core.keys.field, s.mobile, MOBILE_AAD) : null,
        mobile_bidx: s.mobile ? blind(core, 'mobile', s.mobile) : null,
        mobile_masked: s.mobile ? maskMobile(s.mobile) : null,
        address_enc: null, uscc: null, legal_representative: null,
        department_id: s.departmentId, post: s.post,
      }).returning('id').executeTakeFirstOrThrow();
      for (const role of s.roles) await assignRoleTx(tx, caller.actor, row.id, role, s.division, s.departmentId);
      await recordChange(tx, caller.actor, { action: 'identity.account.create', object: { type: 'account', id: row.id }, division: s.division, detail: { type: 'staff', username: s.username, roles: s.roles, departmentId: s.departmentId, post: s.post, importId } },
        { type: 'identity.account.created', payload: { id: row.id, type: 'staff', division: s.division } });
    }
    await auditImport(tx, caller, importId, kind, good.map((s) => s.division), { rows: rowCount, created: good.length, postsCreated });
  });
  return report.finish(kind, false, rowCount, good.length, { postsCreated });
}
