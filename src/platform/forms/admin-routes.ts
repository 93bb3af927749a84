// Form definitions for the admin screens: a list of every form key with the newest version per
// division that applies in the caller's divisions, and a validate-only check of a definition
// (the same check as publishing; nothing is written).
import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import type { Core } from '../../core/index.js';
import { scopesFor } from '../../core/http/auth.js';
import { pickLang } from '../../core/http/errors.js';
import { isWithin } from '../../core/divisions/service.js';
import { checkDefinition } from './definition.js';
import { MANAGE, resolutionChain } from './service.js';

const tags = ['表单 forms'];

export const formsAdminRoutes = (core: Core) => async (app: FastifyInstance) => {
  app.get('/api/forms', {
    config: { permission: MANAGE },
    schema: {
      tags, summary: '表单列表 Every form key with its newest version per division that applies in the caller\'s divisions (own subtree and ancestors; drafts of divisions the caller manages)',
      response: {
        200: Type.Object({
          items: Type.Array(Type.Object({
            key: Type.String(), division: Type.String(), title: Type.Object({ 'zh-CN': Type.String(), en: Type.String() }),
            latestVersion: Type.Union([Type.Integer(), Type.Null()]), status: Type.String({ enum: ['draft', 'published', 'withdrawn'] }),
            versions: Type.Integer(), updatedAt: Type.String({ format: 'date-time' }),
          })),
        }),
      },
    },
  }, async (req) => {
    const scopes = scopesFor(req.principal!, MANAGE);
    const rows = (await sql<{ key: string; division: string; title_zh: string; title_en: string; version: number | null; status: 'draft' | 'published' | 'withdrawn'; created_at: Date; versions: number }>`
      SELECT DISTINCT ON (key, division) key, division, title_zh, title_en, version, status, created_at,
        count(*) OVER (PARTITION BY key, division)::int AS versions
      FROM form_definition ORDER BY key, division, version IS NULL DESC, version DESC`.execute(core.db)).rows;
    const within = (d: string) => scopes.some((s) => isWithin(d, s));
    const applies = (d: string) => within(d) || scopes.some((s) => resolutionChain(s).includes(d));
    return {
      items: rows.filter((r) => applies(r.division) && (r.status !== 'draft' || within(r.division))).map((r) => ({
        key: r.key, division: r.division, title: { 'zh-CN': r.title_zh, en: r.title_en }, latestVersion: r.version, status: r.status, versions: Number(r.versions),
        updatedAt: new Date(r.created_at).toISOString(),
      })),
    };
  });

  app.post('/api/forms/check', {
    config: { permission: MANAGE },
    schema: {
      tags, summary: '校验表单定义 Check a form definition without publishing it (problems point into /definition)',
      body: Type.Object({ definition: Type.Unknown() }, { additionalProperties: false }),
      response: { 200: Type.Object({ valid: Type.Boolean(), errors: Type.Array(Type.Object({ pointer: Type.String(), code: Type.String(), message: Type.String() })) }) },
    },
  }, async (req) => {
    const { problems } = checkDefinition((req.body as { definition: unknown }).definition, pickLang(req.headers['accept-language']));
    return { valid: problems.length === 0, errors: problems.map((p) => ({ ...p, pointer: `/definition${p.pointer}` })) };
  });
};
