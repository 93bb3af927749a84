// The client registry: the government systems allowed to sign users in through Yunling or to call
// its API with their own credentials. Secrets are random, shown once, stored encrypted (the core
// crypto facade with the secrets key). Public clients (mobile apps, single-page apps) have no
// secret at all: they sign users in with the authorization code + PKCE and nothing else. A disabled
// client is unknown to the provider: it can get no token, and the tokens it already has stop
// working. Every change is audited and evented.
import { randomBytes } from 'node:crypto';
import type { Core } from '../../../core/index.js';
import type { Actor } from '../../../core/audit/record.js';
import { recordChange } from '../../../core/audit/record.js';
import { AppError, type FieldError } from '../../../core/http/errors.js';
import { getDivision } from '../../../core/divisions/service.js';
import { ALL_SCOPES, isPermissionScope, OIDC_SCOPES, type Lang } from './scopes.js';
import './tables.js';

export type ClientGrant = 'authorization_code' | 'client_credentials';

export interface NewClient {
  name: string;
  /** Required for confidential clients; a public client signs users in (authorization_code). */
  grant?: ClientGrant;
  /**
   * A public client (云事通 and other mobile apps, single-page apps) cannot keep a secret: none is
   * made; it authenticates with nothing at the token endpoint (PKCE protects its codes), may
   * not use client credentials, and may register loopback or private-use-scheme redirect URIs.
   */
  public?: boolean;
  redirectUris?: string[];
  postLogoutRedirectUris?: string[];
  /** OAuth scopes the client may request (OIDC scopes and/or permission names). */
  scopes?: string[];
  /** First-party (the platform's own systems): users are not asked for consent. */
  firstParty?: boolean;
  /** Permissions (catalog names) the client's tokens carry for Yunling's own API. */
  permissions?: string[];
  /** Division subtree the client acts in (client-credentials tokens); default the province 530000. */
  division?: string;
}

export interface ClientView {
  clientId: string;
  name: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  grantTypes: string[];
  scopes: string[];
  firstParty: boolean;
  /** A public client: no secret, token_endpoint_auth_method=none. */
  public: boolean;
  permissions: string[];
  division: string;
  disabled: boolean;
  disabledAt: string | null;
  createdAt: string;
  createdBy: string;
}

const secretAad = (clientId: string) => Buffer.from(`oidc-client-secret:${clientId}`);
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
const PROVINCE = '530000';

const msg = (lang: Lang | undefined, zh: string, en: string) => (lang === 'en' ? en : zh);

// RFC 8252 §7.1: a private-use scheme is a reverse domain name the app's publisher controls.
export const PRIVATE_USE_SCHEME = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+$/;

/**
 * Where a public client may be sent back to (RFC 8252): https, a loopback http address (the port
 * may vary, §7.3) or a private-use scheme (§7.1) — in every environment.
 */
function publicRedirectUriProblem(uri: string, lang?: Lang): string | null {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(uri)?.[1]?.toLowerCase();
  let u: URL | null = null;
  try {
    u = new URL(uri);
  } catch {
    /* reported below */
  }
  if (!scheme || !u) return msg(lang, '须为完整的地址（如 https://example.gov.cn/callback 或 cn.gov.yn.app:/oauth2redirect）', 'must be an absolute URI (e.g. https://example.gov.cn/callback or cn.gov.yn.app:/oauth2redirect)');
  if (u.hash || uri.includes('#')) return msg(lang, '不能包含 # 片段', 'must not contain a fragment');
  if (u.username || u.password) return msg(lang, '不能包含用户名或密码', 'must not contain credentials');
  if (scheme === 'https') {
    return LOOPBACK.has(u.hostname) ? msg(lang, '本机回调请使用 http://127.0.0.1:端口/…', 'use http://127.0.0.1:<port>/… for a loopback redirect') : null;
  }
  if (scheme === 'http') {
    return LOOPBACK.has(u.hostname) ? null : msg(lang, 'http 仅限本机地址（如 http://127.0.0.1:端口/…）', 'http is for loopback addresses only (e.g. http://127.0.0.1:<port>/…)');
  }
  if (!PRIVATE_USE_SCHEME.test(scheme)) {
    return msg(lang, `自定义协议 ${scheme}: 须为倒写的域名（含“.”，如 cn.gov.yn.ysstong:/oauth2redirect）`, `the private-use scheme ${scheme}: must be a reverse domain name with a dot (e.g. cn.gov.yn.ysstong:/oauth2redirect)`);
  }
  return null;
}

/** RFC 8252 calls a client with loopback or private-use-scheme redirects a native app. */
const isNativeUri = (uri: string): boolean => !/^https:/i.test(uri);

function redirectUriProblem(uri: string, production: boolean, lang?: Lang): string | null {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return msg(lang, '须为完整的网址（如 https://example.gov.cn/callback）', 'must be an absolute URL (e.g. https://example.gov.cn/callback)');
  }
  if (u.hash || uri.includes('#')) return msg(lang, '不能包含 # 片段', 'must not contain a fragment');
  if (u.username || u.password) return msg(lang, '不能包含用户名或密码', 'must not contain credentials');
  if (u.protocol === 'https:') return null;
  if (u.protocol === 'http:' && (LOOPBACK.has(u.hostname) || !production)) return null;
  return msg(lang, '须使用 https（本机地址除外）', 'must use https (except loopback addresses)');
}

/** A registration after validation (`grant` is missing only when an error says so). */
type NormalizedClient = Required<Omit<NewClient, 'grant'>> & { grant: ClientGrant | undefined };

/** Checks a new client; returns every problem at once. */
export async function validateNewClient(core: Core, input: NewClient, lang?: Lang): Promise<{ errors: FieldError[]; normalized: NormalizedClient }> {
  const errors: FieldError[] = [];
  const bad = (pointer: string, code: string, message: string) => errors.push({ pointer, code, message });
  const production = core.config.nodeEnv === 'production';
  const isPublic = input.public === true;
  const n: NormalizedClient = {
    name: (input.name ?? '').trim(),
    grant: input.grant ?? (isPublic ? 'authorization_code' : undefined),
    public: isPublic,
    redirectUris: [...new Set(input.redirectUris ?? [])],
    postLogoutRedirectUris: [...new Set(input.postLogoutRedirectUris ?? [])],
    scopes: [...new Set(input.scopes ?? [])],
    firstParty: !!input.firstParty,
    permissions: [...new Set(input.permissions ?? [])],
    division: input.division ?? PROVINCE,
  };
  if (n.name.length < 1 || n.name.length > 100) bad('/name', 'length', msg(lang, '请填写系统名称（最多 100 字）', 'Give a name (at most 100 characters)'));
  if (n.grant === undefined) bad('/grant', 'required', msg(lang, '请选择授权方式（authorization_code 或 client_credentials）', 'Choose a grant (authorization_code or client_credentials)'));
  else if (n.grant !== 'authorization_code' && n.grant !== 'client_credentials') bad('/grant', 'enum', msg(lang, '授权方式须为 authorization_code 或 client_credentials', 'grant must be authorization_code or client_credentials'));
  else if (isPublic && n.grant === 'client_credentials') bad('/grant', 'public', msg(lang, '公开客户端（手机应用、单页应用）没有密钥，不能使用系统间调用（client_credentials）', 'A public client (mobile or single-page app) has no secret and cannot use the client_credentials grant'));
  if (n.grant === 'authorization_code') {
    if (!n.redirectUris.length) bad('/redirectUris', 'required', msg(lang, '用户登录方式须至少登记一个回调地址', 'Sign-in clients need at least one redirect URI'));
    if (!n.scopes.includes('openid')) n.scopes.unshift('openid');
  } else if (n.grant === 'client_credentials') {
    if (n.redirectUris.length) bad('/redirectUris', 'forbidden', msg(lang, '系统间调用不使用回调地址', 'System-to-system clients have no redirect URIs'));
    if (n.postLogoutRedirectUris.length) bad('/postLogoutRedirectUris', 'forbidden', msg(lang, '系统间调用不使用退出回调地址', 'System-to-system clients have no post-logout redirect URIs'));
    if (n.firstParty) bad('/firstParty', 'forbidden', msg(lang, '系统间调用没有用户授权环节', 'First-party applies to user sign-in only'));
  }
  const uriProblem = (u: string) => (isPublic ? publicRedirectUriProblem(u, lang) : redirectUriProblem(u, production, lang));
  n.redirectUris.forEach((u, i) => {
    const p = uriProblem(u);
    if (p) bad(`/redirectUris/${i}`, 'format', p);
  });
  n.postLogoutRedirectUris.forEach((u, i) => {
    const p = uriProblem(u);
    if (p) bad(`/postLogoutRedirectUris/${i}`, 'format', p);
  });
  n.scopes.forEach((s, i) => {
    if (!ALL_SCOPES.includes(s)) bad(`/scopes/${i}`, 'unknown', msg(lang, `不支持的 scope：${s}`, `Unknown scope ${s}`));
    else if (n.grant === 'client_credentials' && (OIDC_SCOPES as readonly string[]).includes(s)) bad(`/scopes/${i}`, 'grant', msg(lang, `系统间调用不能申请用户信息 scope ${s}`, `A system-to-system client cannot request the user scope ${s}`));
    else if (isPermissionScope(s) && !n.permissions.includes(s)) bad(`/scopes/${i}`, 'permission', msg(lang, `scope ${s} 须同时列入权限`, `Scope ${s} must also be one of the client's permissions`));
  });
  n.permissions.forEach((p, i) => {
    if (!isPermissionScope(p)) bad(`/permissions/${i}`, 'unknown', msg(lang, `权限 ${p} 不存在`, `Unknown permission ${p}`));
  });
  if (!(await getDivision(core.db, n.division))) bad('/division', 'unknown', msg(lang, `行政区划 ${n.division} 不存在`, `Unknown division ${n.division}`));
  return { errors, normalized: n };
}

export interface CreatedClient {
  clientId: string;
  /** Confidential clients only: shown once, never again. A public client has none. */
  clientSecret?: string;
  client: ClientView;
}

export async function createClient(core: Core, actor: Actor, input: NewClient & { public: true }, lang?: Lang): Promise<Omit<CreatedClient, 'clientSecret'>>;
export async function createClient(core: Core, actor: Actor, input: NewClient & { public?: false; grant: ClientGrant }, lang?: Lang): Promise<Required<CreatedClient>>;
export async function createClient(core: Core, actor: Actor, input: NewClient, lang?: Lang): Promise<CreatedClient>;
export async function createClient(core: Core, actor: Actor, input: NewClient, lang?: Lang): Promise<CreatedClient> {
  const { errors, normalized: n } = await validateNewClient(core, input, lang);
  if (errors.length) throw new AppError('VALIDATION_FAILED', undefined, errors);
  const clientId = `ylc_${randomBytes(10).toString('hex')}`;
  const clientSecret = n.public ? undefined : randomBytes(32).toString('base64url');
  const grantTypes = n.grant === 'authorization_code' ? ['authorization_code', 'refresh_token'] : ['client_credentials'];
  await core.db.transaction().execute(async (tx) => {
    await tx.insertInto('oidc_client').values({
      client_id: clientId, name: n.name, kind: n.public ? 'public' : 'confidential',
      secret_enc: clientSecret === undefined ? null : core.crypto.encrypt(core.keys.secrets, clientSecret, secretAad(clientId)),
      redirect_uris: n.redirectUris, post_logout_redirect_uris: n.postLogoutRedirectUris, grant_types: grantTypes, scopes: n.scopes,
      first_party: n.firstParty, permissions: n.permissions, division: n.division, created_at: core.clock.now(), created_by: actor.id,
    }).execute();
    await recordChange(tx, actor, {
      action: 'identity.oidc.client.create', object: { type: 'oidc_client', id: clientId }, division: n.division,
      detail: { name: n.name, public: n.public, grantTypes, redirectUris: n.redirectUris, scopes: n.scopes, firstParty: n.firstParty, permissions: n.permissions },
    }, { type: 'identity.oidc.client-created', payload: { clientId, name: n.name, public: n.public, grantTypes, division: n.division } });
  });
  const client = (await getClient(core, clientId))!;
  return clientSecret === undefined ? { clientId, client } : { clientId, clientSecret, client };
}

/** Disables a client for good; false when there is no such client. Idempotent. */
export async function disableClient(core: Core, actor: Actor, clientId: string): Promise<ClientView | null> {
  const done = await core.db.transaction().execute(async (tx) => {
    const row = await tx.selectFrom('oidc_client').select(['client_id', 'disabled', 'division']).where('client_id', '=', clientId).forUpdate().executeTakeFirst();
    if (!row) return false;
    if (row.disabled) return true;
    await tx.updateTable('oidc_client').set({ disabled: true, disabled_at: core.clock.now(), disabled_by: actor.id }).where('client_id', '=', clientId).execute();
    await recordChange(tx, actor, { action: 'identity.oidc.client.disable', object: { type: 'oidc_client', id: clientId }, division: row.division },
      { type: 'identity.oidc.client-disabled', payload: { clientId } });
    return true;
  });
  return done ? getClient(core, clientId) : null;
}

type Row = {
  client_id: string; name: string; kind: string; redirect_uris: string[]; post_logout_redirect_uris: string[]; grant_types: string[]; scopes: string[];
  first_party: boolean; permissions: string[]; division: string; disabled: boolean; disabled_at: Date | string | null; created_at: Date | string; created_by: string;
};

const VIEW_COLUMNS = ['client_id', 'name', 'kind', 'redirect_uris', 'post_logout_redirect_uris', 'grant_types', 'scopes', 'first_party', 'permissions', 'division', 'disabled', 'disabled_at', 'created_at', 'created_by'] as const;

function view(r: Row): ClientView {
  return {
    clientId: r.client_id, name: r.name, redirectUris: r.redirect_uris, postLogoutRedirectUris: r.post_logout_redirect_uris, grantTypes: r.grant_types,
    scopes: r.scopes, firstParty: r.first_party, public: r.kind === 'public', permissions: r.permissions, division: r.division, disabled: r.disabled,
    disabledAt: r.disabled_at ? new Date(r.disabled_at).toISOString() : null, createdAt: new Date(r.created_at).toISOString(), createdBy: r.created_by,
  };
}

export async function getClient(core: Core, clientId: string): Promise<ClientView | null> {
  const r = await core.db.selectFrom('oidc_client').select(VIEW_COLUMNS).where('client_id', '=', clientId).executeTakeFirst();
  return r ? view(r) : null;
}

export async function listClients(core: Core, opts: { includeDisabled?: boolean } = {}): Promise<ClientView[]> {
  let q = core.db.selectFrom('oidc_client').select(VIEW_COLUMNS).orderBy('created_at').orderBy('client_id');
  if (opts.includeDisabled === false) q = q.where('disabled', '=', false);
  return (await q.execute()).map(view);
}

/** Extra client metadata the provider carries for Yunling (kept verbatim by oidc-provider). */
export const EXTRA_METADATA = ['yunling_first_party', 'yunling_permissions', 'yunling_division'] as const;

/** The provider's view of an ENABLED client (undefined for unknown or disabled ones). */
export async function providerClientMetadata(core: Core, clientId: string): Promise<Record<string, unknown> | undefined> {
  if (typeof clientId !== 'string' || clientId.length > 64) return undefined;
  const r = await core.db.selectFrom('oidc_client').selectAll().where('client_id', '=', clientId).where('disabled', '=', false).executeTakeFirst();
  if (!r) return undefined;
  const isPublic = r.kind === 'public';
  if (!isPublic && !r.secret_enc) return undefined;
  const signIn = r.grant_types.includes('authorization_code');
  return {
    client_id: r.client_id,
    // A public client has no secret: it authenticates with nothing, and PKCE (required for every
    // client) is what binds its code to it.
    ...(isPublic ? {} : { client_secret: core.crypto.decrypt(core.keys.secrets, r.secret_enc!, secretAad(r.client_id)).toString('utf8') }),
    client_name: r.name,
    // Loopback and private-use-scheme redirects are what oidc-provider calls a native client (it
    // then also accepts any port on a loopback redirect, RFC 8252 §7.3).
    application_type: isPublic && [...r.redirect_uris, ...r.post_logout_redirect_uris].some(isNativeUri) ? 'native' : 'web',
    grant_types: r.grant_types,
    response_types: signIn ? ['code'] : [],
    redirect_uris: r.redirect_uris,
    ...(signIn ? { post_logout_redirect_uris: r.post_logout_redirect_uris } : {}),
    scope: [...new Set([...r.scopes, ...r.permissions])].join(' ') || undefined,
    token_endpoint_auth_method: isPublic ? 'none' : 'client_secret_basic',
    yunling_first_party: r.first_party,
    yunling_permissions: r.permissions,
    yunling_division: r.division,
  };
}
