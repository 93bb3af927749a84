// `Authorization: Bearer <access token>` for Yunling's own API. Tokens are the provider's opaque
// tokens, looked up in the database on every request, so a revoked token, a disabled client or a
// disabled account stops working at once.
//  - client-credentials token → the client itself: its permissions (narrowed to the permission
//    scopes it asked for, if any), in its division subtree;
//  - user token → the user (loadPrincipal), with the second factor the sign-in passed; a
//    third-party client's token carries only the user's permissions that are also the client's.
// Unknown tokens return null so that other authenticators may recognise them.
import type Provider from 'oidc-provider';
import type { Core } from '../../../core/index.js';
import type { Authenticator, Grant, Principal } from '../../../core/http/auth.js';
import { audit } from '../../../core/audit/record.js';
import { AppError } from '../../../core/http/errors.js';
import { loadPrincipal } from '../principal.js';
import { isPermissionScope } from './scopes.js';

const OPAQUE = /^Bearer[ \t]+([A-Za-z0-9_-]{32,128})[ \t]*$/i;
const PROVINCE = '530000';

const allows = (held: Set<string>, p: string) => held.has(p) || held.has('*') || held.has(`${p.split(':')[0]}:*`);

/** The principal limited to `allowed` permissions (each grant too). */
export function restrictPrincipal(p: Principal, allowed: string[]): Principal {
  const keep = (held: Set<string>) => new Set(allowed.filter((a) => allows(held, a)));
  const grants: Grant[] | undefined = p.grants?.map((g) => ({ ...g, permissions: keep(g.permissions) })).filter((g) => g.permissions.size > 0);
  return { ...p, permissions: keep(p.permissions), grants, scopes: grants ? [...new Set(grants.map((g) => g.division))] : p.scopes };
}

export function bearerAuthenticator(core: Core, provider: () => Provider): Authenticator {
  const refuse = async (request: Parameters<Authenticator>[0], actor: string, reason: string, clientId: string): Promise<never> => {
    await audit(core.db, { id: actor, requestId: String(request.id) }, { action: 'identity.oidc.bearer.reject', object: { type: 'oidc_client', id: clientId }, detail: { reason, method: request.method, url: request.url.split('?')[0], ip: request.ip } });
    throw new AppError('UNAUTHENTICATED', {
      'zh-CN': '访问令牌已失效（接入系统已停用、账号已停用或令牌绑定了其他凭证），请重新获取令牌',
      en: `The access token is no longer accepted (${reason}); obtain a new one`,
    });
  };
  return async (request) => {
    const h = request.headers.authorization;
    if (typeof h !== 'string') return null;
    const m = OPAQUE.exec(h);
    if (!m) return null;
    const value = m[1]!;
    const p = provider();
    const token = (await p.AccessToken.find(value)) ?? (await p.ClientCredentials.find(value));
    if (!token) return null;
    const client = await p.Client.find(token.clientId);
    if (!client) return refuse(request, `client:${token.clientId}`, 'client-disabled', token.clientId);
    // DPoP / mTLS-bound tokens need their proof; this API does not check proofs, so it refuses them.
    if (token.isSenderConstrained()) return refuse(request, `client:${token.clientId}`, 'sender-constrained', token.clientId);
    const permissions = (client.yunling_permissions as string[] | undefined) ?? [];
    if (token.kind === 'ClientCredentials') {
      const asked = (token.scope ?? '').split(' ').filter(isPermissionScope);
      const granted = asked.length ? permissions.filter((x) => asked.includes(x)) : permissions;
      return {
        id: `client:${token.clientId}`,
        name: client.clientName ?? token.clientId,
        kind: 'client',
        permissions: new Set(granted),
        scopes: [(client.yunling_division as string | undefined) ?? PROVINCE],
      } satisfies Principal;
    }
    if (!token.accountId) return null;
    const principal = await loadPrincipal(core, token.accountId, { mfa: token.extra?.yl_mfa === true });
    if (!principal) return refuse(request, `client:${token.clientId}`, 'account-disabled', token.clientId);
    const account = await core.db.selectFrom('account').select('sessions_valid_after').where('id', '=', token.accountId).executeTakeFirst();
    // "Sign out everywhere" also ends the tokens issued before it.
    const cutoff = account ? new Date(account.sessions_valid_after).getTime() : NaN;
    if (Number.isFinite(cutoff) && token.iat * 1000 < cutoff) return refuse(request, `client:${token.clientId}`, 'signed-out-everywhere', token.clientId);
    return client.yunling_first_party === true ? principal : restrictPrincipal(principal, permissions);
  };
}
