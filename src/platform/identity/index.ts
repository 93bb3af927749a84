// Identity: accounts, roles, sessions and sign-in; the session authenticator with CSRF checks.
import type { FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import { sql } from 'kysely';
import type { Core } from '../../core/index.js';
import { AppError } from '../../core/http/errors.js';
import { BUILTIN_ROLES } from './roles.js';
import { findSession, sessionToken } from './sessions.js';
import { loadPrincipal } from './principal.js';
import { identityRoutes, type SignInContinuation } from './routes.js';
import { smsRoutes } from './sms.js';
import { delegationRoutes } from './delegation-routes.js';
import { identityAdminRoutes } from './admin-routes.js';
import './tables.js';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Writes the built-in roles (idempotent; their permissions follow the code). */
export async function ensureRoles(core: Core): Promise<void> {
  for (const r of BUILTIN_ROLES) {
    await sql`INSERT INTO role (code, name_zh, name_en, builtin, requires_mfa, permissions)
      VALUES (${r.code}, ${r.nameZh}, ${r.nameEn}, true, ${r.requiresMfa}, ${r.permissions}::text[])
      ON CONFLICT (code) DO UPDATE SET name_zh = EXCLUDED.name_zh, name_en = EXCLUDED.name_en, requires_mfa = EXCLUDED.requires_mfa, permissions = EXCLUDED.permissions
      WHERE role.builtin`.execute(core.db);
  }
}

export interface IdentityPlugin {
  continuation: { current: SignInContinuation | null };
  register(app: FastifyInstance): Promise<void>;
}

export function identity(core: Core): IdentityPlugin {
  const continuation: { current: SignInContinuation | null } = { current: null };
  return {
    continuation,
    async register(app) {
      await app.register(cookie);
      await app.register(formbody, { bodyLimit: 16_384 });
      app.authenticators.push(async (request) => {
        const token = sessionToken(request);
        if (!token) return null;
        const s = await findSession(core, token);
        if (!s) return null;
        const isPublic = !!request.routeOptions.config?.public;
        if (!isPublic && UNSAFE.has(request.method) && request.headers['x-csrf-token'] !== s.csrfToken) throw new AppError('CSRF_FAILED');
        return loadPrincipal(core, s.accountId, { mfa: s.mfa, actingFor: s.actingFor });
      });
      await app.register(identityRoutes(core, continuation));
      await app.register(smsRoutes(core));
      await app.register(delegationRoutes(core));
      await app.register(identityAdminRoutes(core));
    },
  };
}
