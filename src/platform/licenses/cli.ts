// Operator commands (the lead wires them into src/main.ts as `yunling license …`):
//   license issue --type CODE --issuer USCC --issuer-name NAME --division CODE
//                 --holder-name NAME --holder-type 111|001 --holder-code CODE --face JSON|@file.json
//                 [--number N] [--issued-on D] [--valid-from D] [--valid-until D] [--case-ref R]
//                 [--supersedes IDENTIFIER] [--idempotency-key K] [--json]
//   license pdf <identifier> --out FILE [--json]
//   license revoke <identifier> --reason R [--json]
//   license verify <identifier> [--json]
// Exit codes: 0 ok, 1 refused/failed (reasons printed), 2 usage.
import fs from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Core } from '../../core/index.js';
import { AppError } from '../../core/http/errors.js';
import type { Principal } from '../../core/http/auth.js';
import { PROVINCE_CODES } from '../../core/validators/index.js';
import type { Caller } from './access.js';
import { issueOnce } from './routes.js';
import { revokeLicense, type IssueInput } from './issue.js';
import { renderLicensePdf } from './pdf.js';
import { parseOrThrow, verifyLicense } from './verify.js';
import { audit } from '../../core/audit/record.js';

export class LicenseUsageError extends Error {}

export interface CliIo {
  out: (s: string) => void;
  err: (s: string) => void;
}
const stdio: CliIo = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

/** The operator acts with every permission everywhere; every act is audited under `cli:<user>`. */
function cliCaller(actor: { id: string }): Caller {
  const principal: Principal = { id: actor.id, name: actor.id, kind: 'system', permissions: new Set(['*']), scopes: [...PROVINCE_CODES].map((p) => `${p}0000`) };
  return { principal, actor, lang: 'zh-CN' };
}

const OPTIONS = {
  type: { type: 'string' }, issuer: { type: 'string' }, 'issuer-name': { type: 'string' }, division: { type: 'string' },
  'holder-name': { type: 'string' }, 'holder-type': { type: 'string' }, 'holder-code': { type: 'string' }, face: { type: 'string' },
  number: { type: 'string' }, 'issued-on': { type: 'string' }, 'valid-from': { type: 'string' }, 'valid-until': { type: 'string' },
  'case-ref': { type: 'string' }, supersedes: { type: 'string' }, 'idempotency-key': { type: 'string' },
  out: { type: 'string' }, reason: { type: 'string' }, json: { type: 'boolean' },
} as const;

/**
 * Runs `license <sub> …` against an open Core. `argv` starts with the subcommand
 * (`['issue', '--type', …]`). Throws LicenseUsageError for usage mistakes (exit code 2).
 */
export async function runLicenseCommand(core: Core, argv: string[], actor: { id: string }, io: CliIo = stdio): Promise<number> {
  const [sub, ...rest] = argv;
  let parsed;
  try {
    parsed = parseArgs({ args: rest, allowPositionals: true, strict: true, options: OPTIONS });
  } catch (e) {
    throw new LicenseUsageError((e as Error).message);
  }
  const v = parsed.values as Record<string, string | boolean | undefined>;
  const json = !!v.json;
  const caller = cliCaller(actor);
  const print = (obj: unknown, text: string) => io.out(json ? `${JSON.stringify(obj)}\n` : `${text}\n`);
  const one = () => {
    if (parsed.positionals.length !== 1) throw new LicenseUsageError(`license ${sub} needs exactly one <identifier>`);
    return parsed.positionals[0]!;
  };
  try {
    if (sub === 'issue') {
      const missing = ['type', 'issuer', 'issuer-name', 'division', 'holder-name', 'holder-type', 'holder-code', 'face'].filter((k) => !v[k]);
      if (missing.length) throw new LicenseUsageError(`license issue needs ${missing.map((k) => `--${k}`).join(', ')}`);
      const faceText = (v.face as string).startsWith('@') ? await fs.readFile((v.face as string).slice(1), 'utf8') : (v.face as string);
      let faceData: Record<string, unknown>;
      try {
        faceData = JSON.parse(faceText) as Record<string, unknown>;
      } catch {
        throw new LicenseUsageError('--face must be a JSON object (or @file.json)');
      }
      const input: IssueInput = {
        typeCode: v.type as string, issuerCode: v.issuer as string, issuerName: v['issuer-name'] as string, division: v.division as string,
        holder: { name: v['holder-name'] as string, codeType: v['holder-type'] as '111' | '001', code: v['holder-code'] as string }, faceData,
        ...(v.number ? { licenseNumber: v.number as string } : {}), ...(v['issued-on'] ? { issuedOn: v['issued-on'] as string } : {}),
        ...(v['valid-from'] ? { validFrom: v['valid-from'] as string } : {}), ...(v['valid-until'] ? { validUntil: v['valid-until'] as string } : {}),
        ...(v['case-ref'] ? { caseRef: v['case-ref'] as string } : {}), ...(v.supersedes ? { supersedes: v.supersedes as string } : {}),
        ...(v['idempotency-key'] ? { idempotencyKey: v['idempotency-key'] as string } : {}),
      };
      const lic = await issueOnce(core, caller, input);
      print(lic, `issued ${lic.identifier} (valid ${lic.validFrom} – ${lic.validUntil ?? 'permanent'})`);
      return 0;
    }
    if (sub === 'pdf') {
      const id = one();
      if (!v.out) throw new LicenseUsageError('license pdf needs --out FILE');
      parseOrThrow(id, 'en');
      const row = await core.db.selectFrom('license').selectAll().where('identifier', '=', id.trim().toUpperCase()).executeTakeFirst();
      if (!row) throw new AppError('NOT_FOUND', { 'zh-CN': '电子证照不存在', en: 'No such e-license' });
      const pdf = await renderLicensePdf(core, row);
      await fs.writeFile(v.out as string, pdf);
      await audit(core.db, actor, { action: 'licenses.license.pdf', object: { type: 'license', id: row.identifier }, division: row.division });
      print({ identifier: row.identifier, out: v.out, bytes: pdf.length }, `wrote ${v.out} (${pdf.length} bytes, signed)`);
      return 0;
    }
    if (sub === 'revoke') {
      const id = one();
      if (!v.reason) throw new LicenseUsageError('license revoke needs --reason R');
      parseOrThrow(id, 'en');
      const lic = await revokeLicense(core, caller, id.trim().toUpperCase(), v.reason as string);
      print(lic, `revoked ${lic.identifier}: ${lic.statusReason}`);
      return 0;
    }
    if (sub === 'verify') {
      const r = await verifyLicense(core, one(), 'en');
      print(r, `${r.identifier}: signature ${r.signatureValid ? 'valid' : 'INVALID'}, status ${r.status}, issuer ${r.issuer.name}`);
      return r.signatureValid ? 0 : 1;
    }
  } catch (e) {
    if (e instanceof AppError) {
      const detail = typeof e.detail === 'string' ? e.detail : e.detail?.en;
      if (json) io.out(`${JSON.stringify({ code: e.code, detail, errors: e.errors ?? [] })}\n`);
      else io.err(`yunling: ${detail ?? e.code}\n${(e.errors ?? []).map((x) => `  ${x.pointer.replace(/^\/body\//, '')}: ${x.message}\n`).join('')}`);
      return 1;
    }
    throw e;
  }
  throw new LicenseUsageError(`unknown license command: ${sub ?? '(none)'}; use issue, pdf, revoke or verify`);
}
