// Workflow over HTTP: definitions, cases, actions, inboxes, task claims and dashboard counts.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Core } from '../../core/index.js';
import { AppError, pickLang } from '../../core/http/errors.js';
import { actorOf, scopesFor } from '../../core/http/auth.js';
import { isWithin } from '../../core/divisions/service.js';
import type { WfCaller } from './access.js';
import { listVersions, publishDefinition, resolveDefinition, withdrawDefinition, divisionChain, type PublishedDefinition } from './definitions.js';
import { act, start } from './engine.js';
import { caseView } from './views.js';
import { taskCandidates } from './candidates.js';
import { CandidatesOut, CaseViewOut } from './view-schema.js';
import { changeTask, listTasks, stateCounts, type InboxView } from './inbox.js';
import { bpmnRoutes } from './bpmn-routes.js';
import { workflowAdminRoutes } from './admin-routes.js';

const tags = ['流程 workflow'];
const Uuid = Type.String({ format: 'uuid' });
const Division = Type.String({ format: 'division-code' });
const Key = Type.String({ pattern: '^[a-z][a-z0-9.-]{1,63}$' });

function caller(req: FastifyRequest): WfCaller {
  if (!req.principal) throw new AppError('UNAUTHENTICATED');
  return { principal: req.principal, actor: actorOf(req), lang: pickLang(req.headers['accept-language']) };
}

const definitionOut = (d: PublishedDefinition) => ({ id: d.id, key: d.key, version: d.version, division: d.division, status: d.status, publishedBy: d.publishedBy, publishedAt: d.publishedAt.toISOString(), definition: d.definition });
const DefinitionOut = Type.Object({ id: Uuid, key: Type.String(), version: Type.Integer(), division: Type.String(), status: Type.String(), publishedBy: Type.String(), publishedAt: Type.String(), definition: Type.Unknown() });
const TaskOut = Type.Object({
  id: Uuid, instanceId: Uuid, number: Type.Union([Type.String(), Type.Null()]), key: Type.String(), title: Type.String(), division: Type.String(), state: Type.String(),
  role: Type.Union([Type.String(), Type.Null()]), departmentId: Type.Union([Uuid, Type.Null()]), assignee: Type.Union([Uuid, Type.Null()]),
  dueAt: Type.Union([Type.String(), Type.Null()]), escalation: Type.Union([Type.String(), Type.Null()]), supervised: Type.Boolean(), createdAt: Type.String(),
});

export const workflowRoutes = (core: Core) => async (app: FastifyInstance) => {
  await app.register(bpmnRoutes(core));
  await app.register(workflowAdminRoutes(core));
  app.post('/api/workflow/definitions', {
    config: { permission: 'workflow:definition.manage' },
    schema: {
      tags, summary: '发布流程定义 Publish a workflow definition (a new immutable version for that division)',
      body: Type.Object({ division: Division, definition: Type.Unknown({ description: '流程定义（JSON），结构见 src/platform/workflow/README.md' }) }, { additionalProperties: false }),
      response: { 201: DefinitionOut },
    },
  }, async (req, reply) => {
    const body = req.body as { division: string; definition: unknown };
    reply.code(201);
    return definitionOut(await publishDefinition(core, caller(req), body));
  });

  app.get('/api/workflow/definitions/:key', {
    config: { permission: 'workflow:task.read' },
    schema: {
      tags, summary: '查看适用流程 The definition in force for a division (its own, else the nearest ancestor\'s)',
      params: Type.Object({ key: Key }), querystring: Type.Object({ division: Division }), response: { 200: DefinitionOut },
    },
  }, async (req) => {
    const { key } = req.params as { key: string };
    const { division } = req.query as { division: string };
    const d = await resolveDefinition(core.db, key, division);
    if (!d) throw new AppError('NOT_FOUND', { 'zh-CN': '该区划没有此流程', en: 'No such workflow for this division' });
    return definitionOut(d);
  });

  app.get('/api/workflow/definitions/:key/versions', {
    config: { permission: 'workflow:task.read' },
    schema: {
      tags, summary: '流程版本 Every version of a definition that applies to a division (own and ancestors\')',
      params: Type.Object({ key: Key }), querystring: Type.Object({ division: Division }), response: { 200: Type.Object({ items: Type.Array(DefinitionOut) }) },
    },
  }, async (req) => {
    const { key } = req.params as { key: string };
    const { division } = req.query as { division: string };
    return { items: (await listVersions(core.db, key, divisionChain(division))).map(definitionOut) };
  });

  app.post('/api/workflow/definitions/:key/withdraw', {
    config: { permission: 'workflow:definition.manage' },
    schema: {
      tags, summary: '撤回流程版本 Withdraw a version (cases already on it carry on; new cases use the newest published)',
      params: Type.Object({ key: Key }), body: Type.Object({ division: Division, version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }), response: { 200: DefinitionOut },
    },
  }, async (req) => {
    const { key } = req.params as { key: string };
    const { division, version } = req.body as { division: string; version: number };
    return definitionOut(await withdrawDefinition(core, caller(req), key, division, version));
  });

  app.post('/api/workflow/instances', {
    config: { permission: 'workflow:task.act' },
    schema: {
      tags, summary: '发起办件 Start a case on the workflow in force for the division',
      body: Type.Object({
        key: Key, division: Division, title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), data: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
        applicant: Type.Optional(Uuid), number: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
      }, { additionalProperties: false }),
      response: { 201: CaseViewOut },
    },
  }, async (req, reply) => {
    const b = req.body as { key: string; division: string; title?: string; data?: Record<string, unknown>; applicant?: string; number?: string };
    const c = caller(req);
    const row = await start(core, c, { ...b, applicant: b.applicant ? `user:${b.applicant}` : null });
    reply.code(201);
    return caseView(core, c.principal, row.id, c.lang);
  });

  // Readable by staff in scope and by the applicant: checked per case (404 otherwise), so the route itself only needs a sign-in.
  app.get('/api/workflow/instances/:id', {
    config: { signedIn: true },
    schema: { tags, summary: '办件详情 A case with its tasks, available actions and complete history', params: Type.Object({ id: Uuid }), response: { 200: CaseViewOut } },
  }, async (req) => {
    const c = caller(req);
    return caseView(core, c.principal, (req.params as { id: string }).id, c.lang);
  });

  app.post('/api/workflow/instances/:id/actions/:action', {
    config: { signedIn: true },
    schema: {
      tags, summary: '办理 Take an action on a case (role, task, state and requirements are checked)',
      params: Type.Object({ id: Uuid, action: Type.String({ pattern: '^[a-z][a-z0-9_-]{0,63}$' }) }),
      body: Type.Object({
        comment: Type.Optional(Type.String({ maxLength: 2000 })), data: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
        attachments: Type.Optional(Type.Array(Uuid, { maxItems: 50, uniqueItems: true })), expectedVersion: Type.Optional(Type.Integer({ minimum: 1 })),
      }, { additionalProperties: false }),
      response: { 200: CaseViewOut },
    },
  }, async (req) => {
    const c = caller(req);
    const { id, action } = req.params as { id: string; action: string };
    await act(core, c, id, action, req.body as object);
    return caseView(core, c.principal, id, c.lang);
  });

  app.get('/api/workflow/tasks', {
    config: { permission: 'workflow:task.read' },
    schema: {
      tags, summary: '待办 Inbox: mine | department (unclaimed) | due-soon | overdue | supervised',
      querystring: Type.Object({
        view: Type.Union([Type.Literal('mine'), Type.Literal('department'), Type.Literal('due-soon'), Type.Literal('overdue'), Type.Literal('supervised')], { default: 'mine' }),
        limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }), offset: Type.Integer({ minimum: 0, maximum: 100000, default: 0 }),
      }),
      response: { 200: Type.Object({ total: Type.Integer(), items: Type.Array(TaskOut) }) },
    },
  }, async (req) => {
    const q = req.query as { view: InboxView; limit: number; offset: number };
    return listTasks(core, caller(req).principal, q.view, q);
  });

  for (const op of ['claim', 'release', 'reassign'] as const) {
    app.post(`/api/workflow/tasks/:id/${op}`, {
      config: { permission: op === 'reassign' ? 'workflow:task.read' : 'workflow:task.act' },
      schema: {
        tags, summary: { claim: '认领 Claim a queued task', release: '退回队列 Release a task back to its queue', reassign: '改派 Reassign a task (assignee or supervisor)' }[op],
        params: Type.Object({ id: Uuid }),
        ...(op === 'reassign' ? { body: Type.Object({ to: Uuid }, { additionalProperties: false }) } : {}),
        response: { 200: TaskOut },
      },
    }, async (req) => changeTask(core, caller(req), (req.params as { id: string }).id, op, (req.body as { to?: string } | undefined)?.to));
  }

  // Read-only (nothing audited); the same checks as reassign: 404 for a task the caller cannot see, 403 unless assignee or supervisor.
  app.get('/api/workflow/tasks/:id/candidates', {
    config: { permission: 'workflow:task.read' },
    schema: {
      tags, summary: '可改派的同事 Colleagues a task may be reassigned to (exactly those reassign accepts), by name',
      params: Type.Object({ id: Uuid }), querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 50, description: '按姓名筛选' })) }),
      response: { 200: CandidatesOut },
    },
  }, async (req) => ({ items: await taskCandidates(core, caller(req).principal, (req.params as { id: string }).id, (req.query as { q?: string }).q) }));

  const Names = (description: string) => Type.Object({ 'zh-CN': Type.String(), en: Type.String({ description: '无英文名时同中文' }) }, { description });
  app.get('/api/workflow/counts', {
    config: { permission: 'workflow:task.read' },
    schema: {
      tags, summary: '各环节办件数 Open cases per workflow and state (and overdue), within your scope',
      querystring: Type.Object({ division: Type.Optional(Division), key: Type.Optional(Key) }),
      response: {
        200: Type.Object({
          items: Type.Array(Type.Object({
            key: Type.String(), state: Type.String(), open: Type.Integer(), overdue: Type.Integer(),
            workflowName: Names('流程名称（取自已发布的流程定义）'), stateName: Names('环节名称（取自已发布的流程定义）'),
          })),
        }),
      },
    },
  }, async (req) => {
    const c = caller(req);
    const q = req.query as { division?: string; key?: string };
    if (q.division && !scopesFor(c.principal, 'workflow:task.read').some((s) => isWithin(q.division, s))) {
      throw new AppError('FORBIDDEN', { 'zh-CN': `您无权查看行政区划 ${q.division} 的数据`, en: `You may not read division ${q.division}` });
    }
    return { items: await stateCounts(core, c.principal, q) };
  });
};
