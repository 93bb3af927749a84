// GB/T 2260 divisions: public reference data.
import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Core } from '../index.js';
import { AppError } from '../http/errors.js';
import { ancestors, childDivisions, getDivision } from '../divisions/service.js';

const Division = Type.Object({
  code: Type.String({ description: 'GB/T 2260 code' }),
  name: Type.String(),
  level: Type.String({ enum: ['province', 'prefecture', 'county', 'township', 'village'] }),
  parentCode: Type.Union([Type.String(), Type.Null()]),
  fullName: Type.String(),
});

export const divisionRoutes = (core: Core) => async (app: FastifyInstance) => {
  app.get('/api/divisions', {
    config: { public: true },
    schema: {
      tags: ['行政区划 divisions'],
      summary: '下级行政区划 Children of a division (top level when parent is omitted)',
      querystring: Type.Object({ parent: Type.Optional(Type.String({ format: 'division-code' })) }),
      response: { 200: Type.Object({ items: Type.Array(Division) }) },
    },
  }, async (req) => {
    const { parent } = req.query as { parent?: string };
    if (parent && !(await getDivision(core.db, parent))) throw new AppError('DIVISION_NOT_FOUND', { 'zh-CN': `行政区划 ${parent} 不存在`, en: `No division ${parent}` });
    return { items: await childDivisions(core.db, parent ?? null) };
  });

  app.get('/api/divisions/:code', {
    config: { public: true },
    schema: {
      tags: ['行政区划 divisions'],
      summary: '行政区划详情 One division with its ancestors',
      params: Type.Object({ code: Type.String({ format: 'division-code' }) }),
      response: { 200: Type.Intersect([Division, Type.Object({ ancestors: Type.Array(Division) })]) },
    },
  }, async (req) => {
    const { code } = req.params as { code: string };
    const d = await getDivision(core.db, code);
    if (!d) throw new AppError('DIVISION_NOT_FOUND', { 'zh-CN': `行政区划 ${code} 不存在`, en: `No division ${code}` });
    return { ...d, ancestors: await ancestors(core.db, code) };
  });
};
