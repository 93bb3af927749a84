// The operator CLI as functions: issue, pdf, revoke, verify, with --json and usage errors.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LicenseUsageError, runLicenseCommand } from './cli.js';
import { makeWorld, SHOP_USCC, TYPE_CODE, WUHUA_BUREAU, type World } from './fixtures/world.js';
import { poppler } from './fixtures/poppler.js';

describe('license CLI', () => {
  let w: World;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yunling-cli-'));
  beforeAll(async () => {
    w = await makeWorld();
    await w.defineType();
  });
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await w.close();
  });

  const run = async (...argv: string[]) => {
    let out = '';
    let err = '';
    const code = await runLicenseCommand(w.core, argv, { id: 'cli:operator' }, { out: (s) => { out += s; }, err: (s) => { err += s; } });
    return { code, out, err };
  };
  const issueArgs = ['--type', TYPE_CODE, '--issuer', WUHUA_BUREAU, '--issuer-name', '昆明市五华区市场监督管理局', '--division', '530102',
    '--holder-name', '昆明云岭小吃店', '--holder-type', '001', '--holder-code', SHOP_USCC];

  it('issues, writes a signed PDF, revokes and verifies, with --json', async () => {
    const faceFile = path.join(dir, 'face.json');
    fs.writeFileSync(faceFile, JSON.stringify({ 名称: '昆明云岭小吃店', 经营场所: '五华区翠湖南路1号', 经营范围: '热食类食品制售' }));
    const issued = await run('issue', ...issueArgs, '--face', `@${faceFile}`, '--json');
    expect(issued.code).toBe(0);
    const lic = JSON.parse(issued.out);
    expect(lic.status).toBe('valid');
    const out = path.join(dir, 'lic.pdf');
    expect((await run('pdf', lic.identifier, '--out', out)).out).toContain('signed');
    expect(poppler('pdfsig', fs.readFileSync(out))).toContain('Signature is Valid.');
    const revoked = await run('revoke', lic.identifier, '--reason', '企业申请注销', '--json');
    expect(JSON.parse(revoked.out)).toMatchObject({ status: 'revoked', statusReason: '企业申请注销' });
    const verified = await run('verify', lic.identifier);
    expect(verified.out).toContain('signature valid, status revoked');
    const audit = await w.core.db.selectFrom('audit_log').select('action').where('actor', '=', 'cli:operator').execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['licenses.license.issue', 'licenses.license.pdf', 'licenses.license.revoke']));
  });

  it('prints every bad field and exits 1; usage mistakes throw LicenseUsageError', async () => {
    const bad = await run('issue', ...issueArgs.map((a) => (a === SHOP_USCC ? '91530102MA00000001' : a)), '--face', '{"名称":""}', '--json');
    expect(bad.code).toBe(1);
    const body = JSON.parse(bad.out);
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(expect.arrayContaining(['/body/holder/code', '/body/faceData/名称', '/body/faceData/经营场所']));
    const human = await run('revoke', '1.2.156.3005.2.X', '--reason', 'r');
    expect(human.code).toBe(1);
    expect(human.err).toContain('Malformed');
    await expect(run('issue', '--type', TYPE_CODE)).rejects.toBeInstanceOf(LicenseUsageError);
    await expect(run('pdf', 'a', 'b', '--out', 'x')).rejects.toThrow(/exactly one/);
    await expect(run('frobnicate')).rejects.toThrow(/unknown license command/);
  });
});
