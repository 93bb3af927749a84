// `yunling oidc-client …` and `yunling oidc-key …`: register, list and disable the systems that
// sign users in through Yunling (or call its API), and rotate the signing keys. The lead wires
// these into src/main.ts; they take an open Core and return an exit code (0 ok, 1 failure, 2 usage).
import { cliActor, parse, UsageError } from '../../../cli/common.js';
import { parseArgs } from 'node:util';
import type { Core } from '../../../core/index.js';
import type { Actor } from '../../../core/audit/record.js';
import { AppError } from '../../../core/http/errors.js';
import { createClient, disableClient, getClient, listClients, type ClientGrant, type ClientView } from './clients.js';
import { listSigningKeys, retireSigningKeys, rotateSigningKey } from './keys.js';

export const OIDC_CLI_USAGE = `  oidc-client create --name N (--grant authorization_code|client_credentials | --public)
                     [--redirect-uri U]... [--post-logout-redirect-uri U]... [--scope "openid profile roles"]...
                     [--first-party] [--permissions a,b] [--division CODE] [--json]
                                        register a system (its secret is printed once); --public: a
                                        mobile or single-page app, no secret (PKCE), sign-in only
  oidc-client list [--json]             list registered systems (never their secrets)
  oidc-client disable <client_id>       disable a system: no new tokens, its tokens stop working
  oidc-key rotate                       new OIDC signing key (the old one stays published)
  oidc-key retire [<kid>] [--older-than-hours H]
                                        stop publishing previous keys (default: rotated > 24 h ago)
  oidc-key list [--json]                list the OIDC signing keys
`;

type Out = { out: (s: string) => void; err: (s: string) => void };
const std: Out = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

export { cliActor };

// The shared CLI's usage error, so that main.ts maps it to exit 2 like every other command.
const Usage = UsageError;

const CREATE_OPTIONS = {
  name: { type: 'string' },
  grant: { type: 'string' },
  public: { type: 'boolean' },
  'redirect-uri': { type: 'string', multiple: true },
  'post-logout-redirect-uri': { type: 'string', multiple: true },
  scope: { type: 'string', multiple: true },
  'first-party': { type: 'boolean' },
  permissions: { type: 'string' },
  division: { type: 'string' },
  json: { type: 'boolean' },
} as const;


const list = (v: string | string[] | undefined, sep: RegExp): string[] => (Array.isArray(v) ? v : v ? [v] : []).flatMap((x) => x.split(sep)).map((s) => s.trim()).filter(Boolean);

interface ParsedClientCommand {
  sub: 'create' | 'list' | 'disable';
  run(core: Core, actor: Actor, io: Out): Promise<number>;
}

function parseClientCommand(args: string[]): ParsedClientCommand {
  const [sub, ...rest] = args;
  if (sub === 'create') {
    const { values: v } = parse(rest, CREATE_OPTIONS, 0, 'oidc-client create');
    if (!v.name || (!v.grant && !v.public)) throw new Usage('oidc-client create needs --name and --grant (or --public)');
    if (v.grant !== undefined && v.grant !== 'authorization_code' && v.grant !== 'client_credentials') throw new Usage('--grant must be authorization_code or client_credentials');
    return {
      sub,
      async run(core, actor, io) {
        const r = await createClient(core, actor, {
          name: v.name!, grant: v.grant as ClientGrant | undefined, public: !!v.public, redirectUris: list(v['redirect-uri'], /\s+/), postLogoutRedirectUris: list(v['post-logout-redirect-uri'], /\s+/),
          scopes: list(v.scope, /[\s,]+/), firstParty: !!v['first-party'], permissions: list(v.permissions, /[\s,]+/), division: v.division,
        });
        if (v.json) io.out(JSON.stringify({ client_id: r.clientId, ...(r.clientSecret ? { client_secret: r.clientSecret } : {}), client: r.client }) + '\n');
        else if (r.clientSecret) io.out(`client_id: ${r.clientId}\nclient_secret (shown once — store it now): ${r.clientSecret}\nissuer: ${core.config.baseUrl}/oidc\n`);
        else io.out(`client_id: ${r.clientId}\npublic client: no secret (token_endpoint_auth_method=none, PKCE S256)\nissuer: ${core.config.baseUrl}/oidc\n`);
        return 0;
      },
    };
  }
  if (sub === 'list') {
    const { values } = parse(rest, { json: { type: 'boolean' } }, 0, 'oidc-client list');
    return {
      sub,
      async run(core, _actor, io) {
        const items = await listClients(core);
        if (values.json) io.out(JSON.stringify(items) + '\n');
        else io.out(items.length ? items.map(line).join('\n') + '\n' : 'no OIDC clients registered\n');
        return 0;
      },
    };
  }
  if (sub === 'disable') {
    const { positionals } = parse(rest, {}, 1, 'oidc-client disable');
    const id = positionals[0]!;
    return {
      sub,
      async run(core, actor, io) {
        const before = await getClient(core, id);
        const r = await disableClient(core, actor, id);
        if (!r) {
          io.err(`yunling: no OIDC client ${id}\n`);
          return 1;
        }
        io.out(before?.disabled ? `client ${id} was already disabled\n` : `client ${id} disabled\n`);
        return 0;
      },
    };
  }
  throw new Usage(sub ? `unknown oidc-client command: ${sub}` : 'oidc-client needs a command: create, list or disable');
}

const line = (c: ClientView) =>
  `${c.clientId}  ${c.disabled ? 'disabled' : 'active  '}  ${c.grantTypes.includes('client_credentials') ? 'client_credentials' : 'authorization_code'}${c.public ? ' public' : ''}${c.firstParty ? ' first-party' : ''}  ${c.name}  ${[...c.redirectUris, ...(c.permissions.length ? [`permissions=${c.permissions.join(',')}`] : [])].join(' ')}`;

/** The usage problem of an `oidc-client` command line, or null (checked before opening the database). */
export function oidcClientUsageProblem(args: string[]): string | null {
  try {
    parseClientCommand(args);
    return null;
  } catch (err) {
    if (err instanceof Usage) return err.message;
    throw err;
  }
}

async function execute(what: string, core: Core, fn: () => Promise<number>, io: Out): Promise<number> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AppError && err.errors?.length) {
      io.err(`yunling: ${what}: ${err.message}\n${err.errors.map((e) => `  ${e.pointer}: ${e.message}`).join('\n')}\n`);
      return 1;
    }
    if (err instanceof AppError) {
      io.err(`yunling: ${what}: ${err.message}\n`);
      return 1;
    }
    core.log.error({ err }, `${what} failed`);
    throw err;
  }
}

/** `oidc-client create|list|disable …` — returns the exit code. */
export async function oidcClientCommand(core: Core, args: string[], actor: Actor = cliActor(), io: Out = std): Promise<number> {
  let cmd: ParsedClientCommand;
  try {
    cmd = parseClientCommand(args);
  } catch (err) {
    if (!(err instanceof Usage)) throw err;
    io.err(`yunling: ${err.message}\n\nUsage:\n${OIDC_CLI_USAGE}`);
    return 2;
  }
  return execute(`oidc-client ${cmd.sub}`, core, () => cmd.run(core, actor, io), io);
}

interface ParsedKeyCommand {
  run(core: Core, actor: Actor, io: Out): Promise<number>;
}

function parseKeyCommand(args: string[]): ParsedKeyCommand {
  const [sub, ...rest] = args;
  if (sub === 'rotate') {
    parse(rest, {}, 0, 'oidc-key rotate');
    return {
      async run(core, actor, io) {
        const kid = await rotateSigningKey(core, actor);
        io.out(`new OIDC signing key ${kid} (previous keys stay published until retired; running nodes pick it up through the event bus)\n`);
        return 0;
      },
    };
  }
  if (sub === 'retire') {
    let r;
    try {
      r = parseArgs({ args: rest, options: { 'older-than-hours': { type: 'string' } }, allowPositionals: true, strict: true });
    } catch (err) {
      throw new Usage((err as Error).message);
    }
    const { values, positionals } = r;
    if (positionals.length > 1) throw new Usage('oidc-key retire takes at most one key id');
    if (positionals.length && values['older-than-hours'] !== undefined) throw new Usage('give either a key id or --older-than-hours');
    const hours = values['older-than-hours'] === undefined ? 24 : Number(values['older-than-hours']);
    if (!Number.isFinite(hours) || hours < 0) throw new Usage('--older-than-hours must be a non-negative number');
    return {
      async run(core, actor, io) {
        const retired = await retireSigningKeys(core, actor, positionals[0] ? { kid: positionals[0] } : { olderThanSeconds: hours * 3600 });
        io.out(retired.length ? `retired ${retired.join(', ')}\n` : 'no previous key to retire\n');
        return 0;
      },
    };
  }
  if (sub === 'list') {
    const { values } = parse(rest, { json: { type: 'boolean' } }, 0, 'oidc-key list');
    return {
      async run(core, _actor, io) {
        const keys = await listSigningKeys(core);
        io.out(values.json ? JSON.stringify(keys) + '\n' : keys.map((k) => `${k.kid}  ${k.status.padEnd(8)}  ${k.alg}  created ${k.createdAt}${k.rotatedAt ? `  rotated ${k.rotatedAt}` : ''}${k.retiredAt ? `  retired ${k.retiredAt}` : ''}`).join('\n') + '\n');
        return 0;
      },
    };
  }
  throw new Usage(sub ? `unknown oidc-key command: ${sub}` : 'oidc-key needs a command: rotate, retire or list');
}

/** The usage problem of an `oidc-key` command line, or null (checked before opening the database). */
export function oidcKeyUsageProblem(args: string[]): string | null {
  try {
    parseKeyCommand(args);
    return null;
  } catch (err) {
    if (err instanceof Usage) return err.message;
    throw err;
  }
}

/** `oidc-key rotate|retire|list …` — returns the exit code. */
export async function oidcKeyCommand(core: Core, args: string[], actor: Actor = cliActor(), io: Out = std): Promise<number> {
  let cmd: ParsedKeyCommand;
  try {
    cmd = parseKeyCommand(args);
  } catch (err) {
    if (!(err instanceof Usage)) throw err;
    io.err(`yunling: ${err.message}\n\nUsage:\n${OIDC_CLI_USAGE}`);
    return 2;
  }
  return execute(`oidc-key ${args[0]}`, core, () => cmd.run(core, actor, io), io);
}
