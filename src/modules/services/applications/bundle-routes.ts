// HTTP for 一件事一次办 bundles.
import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Core } from '../../../core/index.js';
import { prefill } from '../../../platform/forms/index.js';
import { bundleView, loadBundles, resolveBundle, submitBundle, type BundleInput } from './bundles.js';
import { summary } from './views.js';
import { caller, Division, IdempotencyKey, MaterialIn, tags } from './routes.js';

const Key = Type.String({ pattern: '^[a-z][a-z0-9-]{1,63}$' });

export const bundleRoutes = (core: Core) => async (app: FastifyInstance) => {
  app.get('/api/services/bundles', {
    config: { public: true },
    schema: { tags, summary: '一件事一次办 The bundles (each names its member items)' },
  }, async () => ({ items: (await loadBundles()).map((b) => ({ key: b.key, title: b.title, description: b.description ?? null, lifeEvent: b.lifeEvent ?? null, items: b.items })) }));

  app.get('/api/services/bundles/:key', {
    config: { public: true },
    schema: { tags, summary: '一件事一次办 The merged form and the one material list, as in force in a division', params: Type.Object({ key: Key }), querystring: Type.Object({ division: Division }) },
  }, async (req) => bundleView(core, (req.params as { key: string }).key, (req.query as { division: string }).division));

  // The merged form prefilled from the applicant's profile: every member's prefilled field (the
  // merge keeps each field's x-prefill), not only the first member's.
  app.get('/api/services/bundles/:key/prefill', {
    config: { permission: 'services:application.create' },
    schema: { tags, summary: '一件事一次办 The merged form prefilled from the applicant\'s profile (every member\'s prefilled fields)', params: Type.Object({ key: Key }), querystring: Type.Object({ division: Division }) },
  }, async (req) => {
    const r = await resolveBundle(core, (req.params as { key: string }).key, (req.query as { division: string }).division);
    return { data: r.merged ? await prefill(core, { key: `bundle:${r.bundle.key}`, schema: r.merged.schema, uiSchema: r.merged.uiSchema }, req.principal!) : {} };
  });

  app.post('/api/services/bundles/:key/applications', {
    config: { permission: 'services:application.create' },
    schema: {
      tags, summary: '一件事一次办 One submission: the bundle application and one sub-case per member item', params: Type.Object({ key: Key }),
      body: Type.Object({ division: Division, data: Type.Record(Type.String(), Type.Unknown()), materials: Type.Array(MaterialIn, { maxItems: 100 }), idempotencyKey: IdempotencyKey }, { additionalProperties: false }),
    },
  }, async (req, reply) => {
    const r = await submitBundle(core, caller(req), (req.params as { key: string }).key, req.body as BundleInput);
    reply.code(r.created ? 201 : 200);
    return summary(r.application);
  });
};
