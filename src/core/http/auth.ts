// Who is calling, and may they? Routes declare `config: { public: true }` or
// `config: { permission: 'module:thing.verb' }`; anything else is refused (deny by default).
// Authenticators (identity module: sessions, OIDC bearer tokens, API clients) are registered on
// the app and tried in order; the first that recognises the request sets request.principal.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, type Lang } from './errors.js';
import type { Actor } from '../audit/record.js';
import { isWithin } from '../divisions/service.js';

/** One role assignment as seen by access control: these permissions, in this subtree. */
export interface Grant {
  role: string;
  permissions: Set<string>;
  division: string;
  department?: string | null;
}

export interface Principal {
  /** `user:<uuid>`, `client:<id>`, `system:<component>`. */
  id: string;
  name: string;
  kind: 'citizen' | 'enterprise' | 'staff' | 'client' | 'system';
  permissions: Set<string>;
  /** Division subtrees this principal may act in (GB/T 2260 codes); empty = nowhere. */
  scopes: string[];
  department?: string | null;
  onBehalfOf?: string | null;
  /** Per-assignment permissions and scopes; when present, scope checks use the permission's own scopes. */
  grants?: Grant[];
  /** Account kind details for claims and display. */
  accountType?: 'citizen' | 'enterprise' | 'staff';
  mfa?: boolean;
}

export type Authenticator = (request: FastifyRequest) => Promise<Principal | null>;

declare module 'fastify' {
  interface FastifyContextConfig {
    public?: boolean;
    permission?: string;
    /** Any signed-in principal; the handler checks per object (e.g. "the applicant or staff in scope"). */
    signedIn?: boolean;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyInstance {
    authenticators: Authenticator[];
  }
}

export function hasPermission(p: Principal, permission: string): boolean {
  if (p.permissions.has(permission) || p.permissions.has('*')) return true;
  const [mod] = permission.split(':');
  return p.permissions.has(`${mod}:*`);
}

function grantAllows(g: Grant, permission: string): boolean {
  if (g.permissions.has(permission) || g.permissions.has('*')) return true;
  return g.permissions.has(`${permission.split(':')[0]}:*`);
}

/** The division subtrees in which `p` holds `permission` (what a list query must be limited to). */
export function scopesFor(p: Principal, permission: string): string[] {
  if (!p.grants) return hasPermission(p, permission) ? p.scopes : [];
  return p.grants.filter((g) => grantAllows(g, permission)).map((g) => g.division);
}

/**
 * Refuses (403) when `division` lies outside every subtree where the caller holds `permission`
 * (or, without a permission, outside every subtree the caller may act in).
 */
export function requireScope(request: FastifyRequest, division: string, permission?: string): void {
  const p = request.principal;
  const scopes = p ? (permission ? scopesFor(p, permission) : p.scopes) : [];
  if (!scopes.some((s) => isWithin(division, s))) {
    throw new AppError('FORBIDDEN', { 'zh-CN': `您无权操作行政区划 ${division} 的数据`, en: `You may not act in division ${division}` });
  }
}

/** The caller of a service function: who (for audit), with which grants, in which language. */
export interface Caller {
  principal: Principal;
  actor: Actor;
  lang: Lang;
}

/** Does `p` hold `permission` in a subtree that contains `division`? */
export function mayIn(p: Principal, permission: string, division: string): boolean {
  return scopesFor(p, permission).some((s) => isWithin(division, s));
}

/** Refuses (403) unless `p` holds `permission` in a subtree that contains `division`. */
export function assertMayIn(p: Principal, permission: string, division: string): void {
  if (!mayIn(p, permission, division)) {
    throw new AppError('FORBIDDEN', { 'zh-CN': `您无权在行政区划 ${division} 执行此操作`, en: `You may not do this in division ${division}` });
  }
}

export function actorOf(request: FastifyRequest): Actor {
  return {
    id: request.principal?.id ?? 'anonymous',
    onBehalfOf: request.principal?.onBehalfOf ?? null,
    requestId: request.id,
  };
}

export function registerAuth(app: FastifyInstance): void {
  app.decorate('authenticators', [] as Authenticator[]);
  app.decorateRequest('principal', null);
  app.addHook('preHandler', async (request) => {
    const cfg = request.routeOptions.config ?? {};
    // Fastify's own 404 handler and the documentation routes carry no config; they are public.
    const isPublic = !request.routeOptions.url || !!cfg.public || request.routeOptions.url.startsWith('/docs');
    // Public routes still learn who is calling (a sign-in page, "who am I"), but never fail on it.
    for (const a of app.authenticators) {
      try {
        const p = await a(request);
        if (p) {
          request.principal = p;
          break;
        }
      } catch (err) {
        if (!isPublic) throw err;
      }
    }
    if (isPublic) return;
    if (!cfg.permission && !cfg.signedIn) throw new AppError('FORBIDDEN', { 'zh-CN': '该接口未声明访问权限', en: 'This endpoint declares no permission' });
    if (!request.principal) throw new AppError('UNAUTHENTICATED');
    if (!cfg.permission) return;
    if (!hasPermission(request.principal, cfg.permission)) throw new AppError('FORBIDDEN', undefined, undefined, { permission: cfg.permission });
  });
}
