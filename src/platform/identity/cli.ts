// `yunling user create --type citizen|enterprise|staff --username U --password P --name N
//   [--id-number …] [--uscc …] [--legal-rep …] [--mobile …] [--division …] [--roles a,b] [--json]`
// `yunling user revoke-sessions --username U`
import { parseArgs } from 'node:util';
import type { Core } from '../../core/index.js';
import { AppError } from '../../core/http/errors.js';
import { createAccount } from './accounts.js';
import { ensureRoles } from './index.js';
import { revokeAllSessions } from './sessions.js';

export class CliUsageError extends Error {}

export async function userCommand(core: Core, args: string[], actor: { id: string }): Promise<number> {
  const [sub, ...rest] = args;
  let parsed;
  try {
    parsed = parseArgs({
      args: rest, allowPositionals: false, strict: true,
      options: {
        type: { type: 'string' }, username: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' },
        'id-number': { type: 'string' }, uscc: { type: 'string' }, 'legal-rep': { type: 'string' }, mobile: { type: 'string' },
        division: { type: 'string' }, roles: { type: 'string' }, json: { type: 'boolean' },
      },
    });
  } catch (err) {
    throw new CliUsageError((err as Error).message);
  }
  const v = parsed.values as Record<string, string | boolean | undefined>;
  if (sub === 'create') {
    const type = v.type as string | undefined;
    if (type !== 'citizen' && type !== 'enterprise' && type !== 'staff') throw new CliUsageError('--type must be citizen, enterprise or staff');
    if (!v.username || !v.password || !v.name) throw new CliUsageError('user create needs --username, --password and --name');
    await ensureRoles(core);
    try {
      const account = await createAccount(core, actor, {
        type, username: v.username as string, password: v.password as string, name: v.name as string, division: (v.division as string) ?? '530000',
        idNumber: v['id-number'] as string | undefined, uscc: v.uscc as string | undefined, legalRepresentative: v['legal-rep'] as string | undefined,
        mobile: v.mobile as string | undefined, roles: v.roles ? (v.roles as string).split(',').map((s) => s.trim()).filter(Boolean) : undefined,
      }, 'en');
      process.stdout.write(v.json ? JSON.stringify(account) + '\n' : `created ${account.type} account ${account.username} (${account.id})\n`);
      return 0;
    } catch (err) {
      if (err instanceof AppError && err.errors) {
        if (v.json) process.stdout.write(JSON.stringify({ code: err.code, errors: err.errors }) + '\n');
        else process.stderr.write(`yunling: account not created:\n${err.errors.map((e) => `  ${e.pointer.slice(1)}: ${e.message}`).join('\n')}\n`);
        return 1;
      }
      throw err;
    }
  }
  if (sub === 'revoke-sessions') {
    if (!v.username) throw new CliUsageError('user revoke-sessions needs --username');
    const a = await core.db.selectFrom('account').select('id').where('username', '=', v.username as string).executeTakeFirst();
    if (!a) {
      process.stderr.write(`yunling: no account ${v.username}\n`);
      return 1;
    }
    const n = await revokeAllSessions(core, a.id, actor);
    process.stdout.write(`revoked ${n} session(s) of ${v.username}\n`);
    return 0;
  }
  throw new CliUsageError(`unknown user command: ${sub ?? '(none)'}`);
}
