// buildApp(core): the HTTP server with the floor (errors, request ids, logs, security headers,
// rate limits, body limits, metrics, OpenAPI, docs) and every module's routes. No listen() here:
// main.ts listens, tests use app.inject().
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Core } from './core/index.js';
import { AppError } from './core/http/errors.js';
import { registerProblems } from './core/http/problem.js';
import { registerAuth } from './core/http/auth.js';
import { registerMetrics } from './core/http/metrics.js';
import { validatorCompiler } from './core/http/validator.js';
import { opsRoutes } from './core/routes/ops.js';
import { divisionRoutes } from './core/routes/divisions.js';
import { calendarRoutes } from './core/routes/calendar.js';
import { auditRoutes } from './core/routes/audit.js';
import { identity, ensureRoles } from './platform/identity/index.js';
import { oidc } from './platform/identity/oidc/index.js';
import { orgRoutes } from './platform/org/index.js';
import { notifyRoutes } from './platform/notify/index.js';
import { formsRoutes } from './platform/forms/index.js';
import { rulesRoutes } from './platform/rules/index.js';
import { filesRoutes } from './platform/files/index.js';
import { workflowRoutes } from './platform/workflow/index.js';
import { servicesRoutes } from './modules/services/index.js';
import { hotlineRoutes } from './modules/hotline/index.js';
import { licensesRoutes } from './platform/licenses/index.js';
import { sealsRoutes } from './platform/seals/index.js';
import { registerModules } from './modules.js';
import { webApp } from './web/index.js';

export type App = FastifyInstance;

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export async function buildApp(core: Core): Promise<App> {
  const { config } = core;
  const app = Fastify({
    loggerInstance: core.log as unknown as FastifyBaseLogger,
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    // The header is read in genReqId, which accepts only a safe value (a client cannot inject log noise).
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    return503OnClosing: true,
    // avvio's default 10 s per plugin aborts a start on a busy machine (seen: @fastify/swagger-ui).
    pluginTimeout: 120_000,
  }) as unknown as FastifyInstance;

  app.setValidatorCompiler(validatorCompiler());
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  registerProblems(app);
  registerAuth(app);

  await app.register(helmet, {
    // The docs page (swagger-ui) needs inline styles; everything else is same-origin.
    contentSecurityPolicy: { directives: { 'default-src': ["'self'"], 'style-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:'], 'script-src': ["'self'"] } },
  });
  await app.register(rateLimit, {
    // After authentication (registerAuth's preHandler runs first), so the budget is per person,
    // not per NAT address shared by a whole office.
    hook: 'preHandler',
    max: config.rateLimitMax,
    timeWindow: config.rateLimitWindowMs,
    keyGenerator: (req) => (req.principal?.id ? `p:${req.principal.id}` : `ip:${req.ip}`),
    allowList: (req) => req.url === '/healthz' || req.url === '/readyz' || req.url === '/metrics',
    errorResponseBuilder: (_req, ctx) => Object.assign(new AppError('RATE_LIMITED', { 'zh-CN': `请在 ${Math.ceil(ctx.ttl / 1000)} 秒后重试`, en: `Retry in ${Math.ceil(ctx.ttl / 1000)} s` }), { statusCode: 429 }),
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: '云岭 Yunling API', version: core.version, description: '一网通办 · 一网统管 · 一网协同 — 数字政府平台接口。Errors are RFC 9457 problem+json.' },
      servers: [{ url: config.baseUrl }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: true } });
  registerMetrics(app, core);

  registerModules(core);
  await ensureRoles(core);
  const id = identity(core);
  await id.register(app);
  await oidc(core).register(app, id.continuation);
  await app.register(orgRoutes(core));

  await app.register(notifyRoutes(core));
  await app.register(formsRoutes(core));
  await app.register(rulesRoutes(core));
  await app.register(filesRoutes(core));
  await app.register(workflowRoutes(core));
  await app.register(servicesRoutes(core));
  await app.register(hotlineRoutes(core));
  await app.register(licensesRoutes(core));
  await app.register(sealsRoutes(core));
  await app.register(opsRoutes(core));
  await app.register(divisionRoutes(core));
  await app.register(calendarRoutes(core));
  await app.register(auditRoutes(core));
  await app.register(webApp(core));

  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
  await app.ready();
  return app;
}
