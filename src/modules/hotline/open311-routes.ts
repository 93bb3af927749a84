// Open311 GeoReport v2 at /open311/v2/ (JSON; see open311.ts). Errors use the spec's shape —
// an array of {code, description} — rather than problem+json, since Open311 clients expect it.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Core } from '../../core/index.js';
import { AppError } from '../../core/http/errors.js';
import { getRequest, listRequests, postRequest, serviceDefinition, services } from './open311.js';

const tags = ['Open311 GeoReport v2'];

async function open311<T>(reply: FastifyReply, run: () => Promise<T | null>, status = 200) {
  try {
    const r = await run();
    if (r === null) return reply.code(404).send([{ code: 404, description: 'not found / 不存在' }]);
    return reply.code(status).send(r);
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    const details = e.errors?.map((f) => `${f.pointer.split('/').pop()}: ${f.message}`) ?? [];
    const description = [typeof e.detail === 'string' ? e.detail : (e.detail?.en ?? e.message), ...details].join('; ');
    return reply.code(e.status).send([{ code: e.status, description }]);
  }
}

/** `services.json` → `services`; anything not ending in .json (e.g. .xml) is not offered. */
const json = (file: string) => (file.endsWith('.json') ? file.slice(0, -5) : null);

export const open311Routes = (core: Core) => async (app: FastifyInstance) => {
  if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) {
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 65_536 }, (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))));
  }
  const pub = { config: { public: true }, schema: { tags } };
  app.get('/open311/v2/services.json', pub, async (_req, reply) => open311(reply, services));
  app.get('/open311/v2/services/:file', pub, async (req, reply) => {
    const code = json((req.params as { file: string }).file);
    return open311(reply, async () => (code ? serviceDefinition(code) : null));
  });
  app.get('/open311/v2/requests.json', pub, async (req, reply) => open311(reply, () => listRequests(core, req.query as Record<string, string>)));
  app.post('/open311/v2/requests.json', pub, async (req, reply) => open311(reply, () => postRequest(core, (req.body ?? {}) as Record<string, unknown>), 201));
  app.get('/open311/v2/requests/:file', pub, async (req, reply) => {
    const id = json((req.params as { file: string }).file);
    return open311(reply, async () => (id ? getRequest(core, id) : null));
  });
};
