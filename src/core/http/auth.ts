// Who is calling, and may they? Routes declare `config: { public: true }` or
// `config: { permission: 'module:thing.verb' }`; anything else is refused (deny by default).
// Authenticators (identity module: sessions, OIDC bearer tokens, API clients) are registered on
// the app and tried in order; the first that recognises the request sets request.principal.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from './errors.js';
import type { Actor } from '../audit/record.js';
import { isWithin } from '../divisions/service.js';

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
}

export type Authenticator = (request: FastifyRequest) => Promise<Principal | null>;

declare module 'fastify' {
  interface FastifyContextConfig {
    public?: boolean;
    permission?: string;
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

/** Refuses (403) when `division` lies outside every division subtree the caller may act in. */
export function requireScope(request: FastifyRequest, division: string): void {
  const p = request.principal;
  if (!p || !p.scopes.some((s) => isWithin(division, s))) {
    throw new AppError('FORBIDDEN', { 'zh-CN': `您无权操作行政区划 ${division} 的数据`, en: `You may not act in division ${division}` });
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
    // Fastify's own 404 handler and documentation routes carry no config; they are public.
    if (!request.routeOptions.url || cfg.public || request.routeOptions.url.startsWith('/docs')) return;
    for (const a of app.authenticators) {
      const p = await a(request);
      if (p) {
        request.principal = p;
        break;
      }
    }
    if (!cfg.permission) throw new AppError('FORBIDDEN', { 'zh-CN': '该接口未声明访问权限', en: 'This endpoint declares no permission' });
    if (!request.principal) throw new AppError('UNAUTHENTICATED');
    if (!hasPermission(request.principal, cfg.permission)) throw new AppError('FORBIDDEN', undefined, undefined, { permission: cfg.permission });
  });
}
