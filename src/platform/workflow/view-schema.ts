// The response shapes of a case (GET /api/workflow/instances/:id and the routes that answer with
// the case) and of the reassign candidates. The case data, diffs and details are free-form.
import { Type } from '@fastify/type-provider-typebox';

const Uuid = Type.String({ format: 'uuid' });
const Str = Type.String();
const OrNull = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Free = Type.Record(Type.String(), Type.Unknown());

export const ColleagueOut = Type.Object({
  id: Uuid, name: Str, department: Type.Union([Str, Type.Null()], { description: '所在部门名称（未安排部门时为 null）' }),
});

export const CandidatesOut = Type.Object({ items: Type.Array(ColleagueOut, { description: '可改派的同事（按姓名排序，最多 50 人）' }) });

export const CaseViewOut = Type.Object({
  id: Uuid, number: OrNull(Str), key: Str, version: Type.Integer(), definitionDivision: Str, division: Str, title: Str,
  state: Str, stateName: Str, stateKind: Str, status: Str, outcome: OrNull(Str), applicant: OrNull(Str),
  data: Free, parentId: OrNull(Str), paused: Type.Boolean(), pauses: Type.Array(Type.Unknown()),
  createdAt: Str, updatedAt: Str, stateEnteredAt: Str, stateDueAt: OrNull(Str), dueAt: OrNull(Str), rowVersion: Type.Integer(),
  tasks: Type.Array(Type.Object({
    id: Uuid, state: Str, status: Str, role: OrNull(Str), departmentId: OrNull(Str), assignee: OrNull(Str), vote: OrNull(Str),
    dueAt: OrNull(Str), escalation: OrNull(Str), supervised: Type.Boolean(),
  })),
  actions: Type.Array(Type.Object({ id: Str, name: Str, to: Str, vote: OrNull(Str), requires: Type.Unknown() })),
  children: Type.Array(Type.Object({ id: Uuid, key: Str, number: OrNull(Str), title: Str, state: Str, status: Str, outcome: OrNull(Str), division: Str })),
  history: Type.Array(Type.Object({
    at: Str, actor: Str, onBehalfOf: OrNull(Str), kind: Str, action: OrNull(Str), from: OrNull(Str), to: OrNull(Str), comment: OrNull(Str),
    diff: Type.Array(Type.Unknown()), attachments: Type.Array(Str), detail: Free,
  })),
  actors: Type.Record(Type.String(), Type.Object({ name: Str, department: OrNull(Str) }), {
    description: '办件历史与任务中出现的工作人员（键为账号 ID）：姓名与所在部门。申请人、群众和企业不在其中',
  }),
});
