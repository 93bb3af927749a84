// Definitions for the admin screens: a list of every workflow key with the newest version of each
// division that applies to the caller's subtrees, and a validate-only check (publishing runs the
// same check; nothing is written here).
import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import type { Core } from '../../core/index.js';
import { scopesFor } from '../../core/http/auth.js';
import { isWithin } from '../../core/divisions/service.js';
import { checkDefinition } from './definition.js';
import { divisionChain } from './definitions.js';

const tags = ['流程 workflow'];
export const DEFINITION_READ = 'workflow:definition.read';

/** Divisions whose definitions apply somewhere in `scopes`: inside a scope, or an ancestor of one. */
export function applies(division: string, scopes: string[]): boolean {
  return scopes.some((s) => isWithin(division, s) || divisionChain(s).includes(division));
}

export const workflowAdminRoutes = (core: Core) => async (app: FastifyInstance) => {
  app.get('/api/workflow/definitions', {
    config: { permission: DEFINITION_READ },
    schema: {
      tags, summary: '流程定义列表 Every workflow key with the newest version per division that applies in the caller\'s divisions (own subtree and ancestors)',
      response: {
        200: Type.Object({
          items: Type.Array(Type.Object({
            key: Type.String(), division: Type.String(), title: Type.String(),
            latestVersion: Type.Integer(), status: Type.String({ enum: ['published', 'withdrawn'], description: '最新版本的状态 / status of the newest version' }),
            versions: Type.Integer(), publishedAt: Type.String({ format: 'date-time' }),
          })),
        }),
      },
    },
  }, async (req) => {
    const scopes = [...new Set([...scopesFor(req.principal!, DEFINITION_READ), ...scopesFor(req.principal!, 'workflow:definition.manage')])];
    const rows = (await sql<{ key: string; division: string; title: string; version: number; status: 'published' | 'withdrawn'; published_at: Date; versions: number }>`
      SELECT DISTINCT ON (key, division) key, division, title, version, status, published_at,
        count(*) OVER (PARTITION BY key, division)::int AS versions
      FROM wf_definition ORDER BY key, division, version DESC`.execute(core.db)).rows;
    return {
      items: rows.filter((r) => applies(r.division, scopes)).map((r) => ({
        key: r.key, division: r.division, title: r.title, latestVersion: r.version, status: r.status, versions: Number(r.versions), publishedAt: new Date(r.published_at).toISOString(),
      })),
    };
  });

  app.post('/api/workflow/definitions/validate', {
    config: { permission: DEFINITION_READ },
    schema: {
      tags, summary: '校验流程定义 Check a definition without publishing it (the same check as publishing; problems point into /definition)',
      body: Type.Object({ definition: Type.Unknown() }, { additionalProperties: false }),
      response: { 200: Type.Object({ valid: Type.Boolean(), errors: Type.Array(Type.Object({ pointer: Type.String(), code: Type.String(), message: Type.String() })) }) },
    },
  }, async (req) => {
    const errors = checkDefinition((req.body as { definition: unknown }).definition);
    return { valid: errors.length === 0, errors };
  });
};
