// `yunling user create` / `user revoke-sessions` through the real compiled CLI.
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, ensureBuilt, migratedDataDir } from './helpers.js';

beforeAll(() => ensureBuilt());

describe('yunling user', () => {
  it('creates a citizen with a validated, masked ID number and prints JSON', async () => {
    const dir = await migratedDataDir();
    const r = await cli(['user', 'create', '--type', 'citizen', '--username', 'cli_zhang', '--password', 'Abc12345!', '--name', '张三', '--id-number', '11010519491231002X', '--division', '530102', '--json'], { DATA_DIR: dir });
    expect(r.code).toBe(0);
    const account = JSON.parse(r.stdout);
    expect(account).toMatchObject({ type: 'citizen', username: 'cli_zhang', idNumber: '1101**********002X', division: '530102' });
    const again = await cli(['user', 'create', '--type', 'staff', '--username', 'cli_zhang', '--password', 'Abc12345!', '--name', '李四', '--division', '530100', '--roles', 'window_clerk,nope'], { DATA_DIR: dir });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('username');
    expect(again.stderr).toContain('roles/1');
    const out = await cli(['user', 'revoke-sessions', '--username', 'cli_zhang'], { DATA_DIR: dir });
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('revoked 0 session(s)');
  });

  it('refuses bad ID numbers and credit codes with the field named, and bad usage with exit 2', async () => {
    const dir = await migratedDataDir();
    const bad = await cli(['user', 'create', '--type', 'enterprise', '--username', 'firm1', '--password', 'Abc12345!', '--name', '某公司', '--uscc', '91350100M000100Y44', '--legal-rep', '王五', '--json'], { DATA_DIR: dir });
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/uscc']);
    expect((await cli(['user', 'create', '--type', 'robot', '--username', 'a', '--password', 'b', '--name', 'c'], { DATA_DIR: dir })).code).toBe(2);
    expect((await cli(['user', 'delete'], { DATA_DIR: dir })).code).toBe(2);
  });
});
