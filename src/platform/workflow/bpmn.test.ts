import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { testApp } from '../../../test/db.js';
import type { Principal } from '../../core/http/auth.js';
import { AppError } from '../../core/http/errors.js';
import { bpmnToDefinition, parseDuration } from './bpmn.js';
import { checkDefinition } from './definition.js';
import { resolveDefinition } from './definitions.js';
import { act, start } from './engine.js';

const SIGNER = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const FLOWABLE_HEAD = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:flowable="http://flowable.org/bpmn" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:omgdc="http://www.omg.org/spec/DD/20100524/DC" xmlns:omgdi="http://www.omg.org/spec/DD/20100524/DI" typeLanguage="http://www.w3.org/2001/XMLSchema" expressionLanguage="http://www.w3.org/1999/XPath" targetNamespace="http://www.flowable.org/processdef" exporter="Flowable Open Source Modeler" exporterVersion="6.8.0">`;

// 受理 → 审查 → (排他网关) 通过: 签发 → 准予许可 | 不予许可 | 退回受理; 审查 has a 3-day boundary timer.
const APPROVAL = `${FLOWABLE_HEAD}
  <process id="planningPermit" name="建设工程规划许可" isExecutable="true">
    <documentation>三级审批</documentation>
    <startEvent id="startEvent1" name="申请提交" flowable:initiator="applicant" flowable:formFieldValidation="true"></startEvent>
    <userTask id="Task_accept" name="受理" flowable:candidateGroups="window_clerk" flowable:formFieldValidation="true"></userTask>
    <boundaryEvent id="Timer_accept" attachedToRef="Task_accept" cancelActivity="false">
      <timerEventDefinition><timeDuration>PT4H</timeDuration></timerEventDefinition>
    </boundaryEvent>
    <userTask id="Task_review" name="审查" flowable:candidateGroups="approver" flowable:formFieldValidation="true"></userTask>
    <boundaryEvent id="Timer_review" name="超期" attachedToRef="Task_review" cancelActivity="true">
      <timerEventDefinition><timeDuration>P3D</timeDuration></timerEventDefinition>
    </boundaryEvent>
    <exclusiveGateway id="Gateway_decision" name="审查意见" default="Flow_back"></exclusiveGateway>
    <userTask id="Task_sign" name="签发" flowable:assignee="${SIGNER}" flowable:candidateGroups="department_admin" flowable:formFieldValidation="true"></userTask>
    <endEvent id="End_approved" name="准予许可"></endEvent>
    <endEvent id="End_refused" name="不予许可"></endEvent>
    <endEvent id="End_timeout" name="超期自动办结"></endEvent>
    <sequenceFlow id="Flow_start" sourceRef="startEvent1" targetRef="Task_accept"></sequenceFlow>
    <sequenceFlow id="Flow_accept" name="受理" sourceRef="Task_accept" targetRef="Task_review"></sequenceFlow>
    <sequenceFlow id="Flow_toDecision" sourceRef="Task_review" targetRef="Gateway_decision"></sequenceFlow>
    <sequenceFlow id="Flow_pass" name="通过" sourceRef="Gateway_decision" targetRef="Task_sign">
      <conditionExpression xsi:type="tFormalExpression"><![CDATA[\${approved == true}]]></conditionExpression>
    </sequenceFlow>
    <sequenceFlow id="Flow_refuse" name="不予许可" sourceRef="Gateway_decision" targetRef="End_refused">
      <conditionExpression xsi:type="tFormalExpression"><![CDATA[\${approved == false}]]></conditionExpression>
    </sequenceFlow>
    <sequenceFlow id="Flow_back" name="退回受理" sourceRef="Gateway_decision" targetRef="Task_accept"></sequenceFlow>
    <sequenceFlow id="Flow_sign" name="签发 issue" sourceRef="Task_sign" targetRef="End_approved"></sequenceFlow>
    <sequenceFlow id="Flow_timeout" sourceRef="Timer_review" targetRef="End_timeout"></sequenceFlow>
  </process>
  <bpmndi:BPMNDiagram id="BPMNDiagram_planningPermit">
    <bpmndi:BPMNPlane bpmnElement="planningPermit" id="BPMNPlane_planningPermit">
      <bpmndi:BPMNShape bpmnElement="startEvent1" id="BPMNShape_startEvent1"><omgdc:Bounds height="30.0" width="30.0" x="100.0" y="163.0"></omgdc:Bounds></bpmndi:BPMNShape>
      <bpmndi:BPMNShape bpmnElement="Task_accept" id="BPMNShape_Task_accept"><omgdc:Bounds height="80.0" width="100.0" x="175.0" y="138.0"></omgdc:Bounds></bpmndi:BPMNShape>
      <bpmndi:BPMNShape bpmnElement="Timer_accept" id="BPMNShape_Timer_accept"><omgdc:Bounds height="31.0" width="31.0" x="240.0" y="203.0"></omgdc:Bounds></bpmndi:BPMNShape>
      <bpmndi:BPMNShape bpmnElement="Task_review" id="BPMNShape_Task_review"><omgdc:Bounds height="80.0" width="100.0" x="320.0" y="138.0"></omgdc:Bounds></bpmndi:BPMNShape>
      <bpmndi:BPMNShape bpmnElement="Timer_review" id="BPMNShape_Timer_review"><omgdc:Bounds height="31.0" width="31.0" x="385.0" y="203.0"></omgdc:Bounds></bpmndi:BPMNShape>
      <bpmndi:BPMNShape bpmnElement="Gateway_decision" id="BPMNShape_Gateway_decision"><omgdc:Bounds height="40.0" width="40.0" x="465.0" y="158.0"></omgdc:Bounds></bpmndi:BPMNShape>
      <bpmndi:BPMNShape bpmnElement="Task_sign" id="BPMNShape_Task_sign"><omgdc:Bounds height="80.0" width="100.0" x="550.0" y="138.0"></omgdc:Bounds></bpmndi:BPMNShape>
      <bpmndi:BPMNShape bpmnElement="End_approved" id="BPMNShape_End_approved"><omgdc:Bounds height="28.0" width="28.0" x="695.0" y="164.0"></omgdc:Bounds></bpmndi:BPMNShape>
      <bpmndi:BPMNShape bpmnElement="End_refused" id="BPMNShape_End_refused"><omgdc:Bounds height="28.0" width="28.0" x="471.0" y="270.0"></omgdc:Bounds></bpmndi:BPMNShape>
      <bpmndi:BPMNShape bpmnElement="End_timeout" id="BPMNShape_End_timeout"><omgdc:Bounds height="28.0" width="28.0" x="386.0" y="300.0"></omgdc:Bounds></bpmndi:BPMNShape>
      <bpmndi:BPMNEdge bpmnElement="Flow_start" id="BPMNEdge_Flow_start"><omgdi:waypoint x="130.0" y="178.0"></omgdi:waypoint><omgdi:waypoint x="175.0" y="178.0"></omgdi:waypoint></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge bpmnElement="Flow_accept" id="BPMNEdge_Flow_accept"><omgdi:waypoint x="275.0" y="178.0"></omgdi:waypoint><omgdi:waypoint x="320.0" y="178.0"></omgdi:waypoint></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge bpmnElement="Flow_toDecision" id="BPMNEdge_Flow_toDecision"><omgdi:waypoint x="420.0" y="178.0"></omgdi:waypoint><omgdi:waypoint x="465.0" y="178.0"></omgdi:waypoint></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge bpmnElement="Flow_pass" id="BPMNEdge_Flow_pass"><omgdi:waypoint x="505.0" y="178.0"></omgdi:waypoint><omgdi:waypoint x="550.0" y="178.0"></omgdi:waypoint></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge bpmnElement="Flow_refuse" id="BPMNEdge_Flow_refuse"><omgdi:waypoint x="485.0" y="198.0"></omgdi:waypoint><omgdi:waypoint x="485.0" y="270.0"></omgdi:waypoint></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge bpmnElement="Flow_back" id="BPMNEdge_Flow_back"><omgdi:waypoint x="485.0" y="158.0"></omgdi:waypoint><omgdi:waypoint x="485.0" y="100.0"></omgdi:waypoint><omgdi:waypoint x="225.0" y="100.0"></omgdi:waypoint><omgdi:waypoint x="225.0" y="138.0"></omgdi:waypoint></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge bpmnElement="Flow_sign" id="BPMNEdge_Flow_sign"><omgdi:waypoint x="650.0" y="178.0"></omgdi:waypoint><omgdi:waypoint x="695.0" y="178.0"></omgdi:waypoint></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge bpmnElement="Flow_timeout" id="BPMNEdge_Flow_timeout"><omgdi:waypoint x="400.0" y="234.0"></omgdi:waypoint><omgdi:waypoint x="400.0" y="300.0"></omgdi:waypoint></bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</definitions>`;

// 提交材料 → 并行: 国土会签 ‖ 环保会签 → 汇合 → 同意: 批准 | 不同意: back to 提交材料.
const PARALLEL = `${FLOWABLE_HEAD}
  <process id="jointReview" name="联合审查" isExecutable="true">
    <startEvent id="start"></startEvent>
    <userTask id="Task_submit" name="提交材料" flowable:candidateGroups="window_clerk"></userTask>
    <parallelGateway id="Fork"></parallelGateway>
    <userTask id="Task_land" name="国土会签" flowable:candidateGroups="land_officer"></userTask>
    <userTask id="Task_env" name="环保会签" flowable:candidateGroups="env_officer"></userTask>
    <parallelGateway id="Join"></parallelGateway>
    <exclusiveGateway id="Result"></exclusiveGateway>
    <endEvent id="End_ok" name="批准"></endEvent>
    <sequenceFlow id="f1" sourceRef="start" targetRef="Task_submit"></sequenceFlow>
    <sequenceFlow id="f2" name="提交" sourceRef="Task_submit" targetRef="Fork"></sequenceFlow>
    <sequenceFlow id="f3" sourceRef="Fork" targetRef="Task_land"></sequenceFlow>
    <sequenceFlow id="f4" sourceRef="Fork" targetRef="Task_env"></sequenceFlow>
    <sequenceFlow id="f5" sourceRef="Task_land" targetRef="Join"></sequenceFlow>
    <sequenceFlow id="f6" sourceRef="Task_env" targetRef="Join"></sequenceFlow>
    <sequenceFlow id="f7" sourceRef="Join" targetRef="Result"></sequenceFlow>
    <sequenceFlow id="Flow_agree" name="同意" sourceRef="Result" targetRef="End_ok"><conditionExpression xsi:type="tFormalExpression"><![CDATA[\${pass}]]></conditionExpression></sequenceFlow>
    <sequenceFlow id="Flow_disagree" name="不同意" sourceRef="Result" targetRef="Task_submit"><conditionExpression xsi:type="tFormalExpression"><![CDATA[\${!pass}]]></conditionExpression></sequenceFlow>
  </process>
  <bpmndi:BPMNDiagram id="BPMNDiagram_jointReview">
    <bpmndi:BPMNPlane bpmnElement="jointReview" id="BPMNPlane_jointReview">
      <bpmndi:BPMNShape bpmnElement="start" id="BPMNShape_start"><omgdc:Bounds height="30.0" width="30.0" x="60.0" y="150.0"></omgdc:Bounds></bpmndi:BPMNShape>
      <bpmndi:BPMNShape bpmnElement="Task_submit" id="BPMNShape_Task_submit"><omgdc:Bounds height="80.0" width="100.0" x="130.0" y="125.0"></omgdc:Bounds></bpmndi:BPMNShape>
      <bpmndi:BPMNShape bpmnElement="Fork" id="BPMNShape_Fork"><omgdc:Bounds height="40.0" width="40.0" x="275.0" y="145.0"></omgdc:Bounds></bpmndi:BPMNShape>
      <bpmndi:BPMNShape bpmnElement="Task_land" id="BPMNShape_Task_land"><omgdc:Bounds height="80.0" width="100.0" x="360.0" y="60.0"></omgdc:Bounds></bpmndi:BPMNShape>
      <bpmndi:BPMNShape bpmnElement="Task_env" id="BPMNShape_Task_env"><omgdc:Bounds height="80.0" width="100.0" x="360.0" y="190.0"></omgdc:Bounds></bpmndi:BPMNShape>
      <bpmndi:BPMNShape bpmnElement="Join" id="BPMNShape_Join"><omgdc:Bounds height="40.0" width="40.0" x="505.0" y="145.0"></omgdc:Bounds></bpmndi:BPMNShape>
      <bpmndi:BPMNShape bpmnElement="Result" id="BPMNShape_Result"><omgdc:Bounds height="40.0" width="40.0" x="590.0" y="145.0"></omgdc:Bounds></bpmndi:BPMNShape>
      <bpmndi:BPMNShape bpmnElement="End_ok" id="BPMNShape_End_ok"><omgdc:Bounds height="28.0" width="28.0" x="675.0" y="151.0"></omgdc:Bounds></bpmndi:BPMNShape>
      <bpmndi:BPMNEdge bpmnElement="f2" id="BPMNEdge_f2"><omgdi:waypoint x="230.0" y="165.0"></omgdi:waypoint><omgdi:waypoint x="275.0" y="165.0"></omgdi:waypoint></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge bpmnElement="f7" id="BPMNEdge_f7"><omgdi:waypoint x="545.0" y="165.0"></omgdi:waypoint><omgdi:waypoint x="590.0" y="165.0"></omgdi:waypoint></bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</definitions>`;

// Camunda Modeler: a parallel multi-instance countersign that completes on the first of three.
const MULTI = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_0x1" targetNamespace="http://bpmn.io/schema/bpmn" exporter="Camunda Modeler" exporterVersion="5.20.0">
  <bpmn:process id="Process_anyOf" name="任一会签" isExecutable="true">
    <bpmn:startEvent id="StartEvent_1"><bpmn:outgoing>Flow_1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="Activity_sign" name="会签" camunda:candidateGroups="approver, department_admin, window_clerk">
      <bpmn:incoming>Flow_1</bpmn:incoming><bpmn:outgoing>Flow_2</bpmn:outgoing>
      <bpmn:multiInstanceLoopCharacteristics camunda:collection="\${groups}" camunda:elementVariable="group">
        <bpmn:completionCondition xsi:type="bpmn:tFormalExpression" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\${nrOfCompletedInstances &gt;= 1}</bpmn:completionCondition>
      </bpmn:multiInstanceLoopCharacteristics>
    </bpmn:userTask>
    <bpmn:endEvent id="Event_done"><bpmn:incoming>Flow_2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="Flow_1" sourceRef="StartEvent_1" targetRef="Activity_sign" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Activity_sign" targetRef="Event_done" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="BPMNDiagram_1">
    <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="Process_anyOf">
      <bpmndi:BPMNShape id="_BPMNShape_StartEvent_2" bpmnElement="StartEvent_1"><dc:Bounds x="179" y="99" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Activity_sign_di" bpmnElement="Activity_sign"><dc:Bounds x="270" y="77" width="100" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Event_done_di" bpmnElement="Event_done"><dc:Bounds x="432" y="99" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="Flow_1_di" bpmnElement="Flow_1"><di:waypoint x="215" y="117" /><di:waypoint x="270" y="117" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="Flow_2_di" bpmnElement="Flow_2"><di:waypoint x="370" y="117" /><di:waypoint x="432" y="117" /></bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>`;

// A service task (SMS) and a script task: refused by name, nothing half-imported.
const SERVICE = `${FLOWABLE_HEAD}
  <process id="notifyProcess" name="带自动通知" isExecutable="true">
    <startEvent id="start"></startEvent>
    <userTask id="Task_accept" name="受理" flowable:candidateGroups="window_clerk"></userTask>
    <serviceTask id="ServiceTask_sms" name="发送短信" flowable:class="org.example.SendSms"></serviceTask>
    <scriptTask id="Script_score" name="打分" scriptFormat="groovy"><script><![CDATA[score = 1]]></script></scriptTask>
    <endEvent id="end"></endEvent>
    <sequenceFlow id="f1" sourceRef="start" targetRef="Task_accept"></sequenceFlow>
    <sequenceFlow id="f2" sourceRef="Task_accept" targetRef="ServiceTask_sms"></sequenceFlow>
    <sequenceFlow id="f3" sourceRef="ServiceTask_sms" targetRef="Script_score"></sequenceFlow>
    <sequenceFlow id="f4" sourceRef="Script_score" targetRef="end"></sequenceFlow>
  </process>
  <bpmndi:BPMNDiagram id="BPMNDiagram_notifyProcess">
    <bpmndi:BPMNPlane bpmnElement="notifyProcess" id="BPMNPlane_notifyProcess">
      <bpmndi:BPMNShape bpmnElement="ServiceTask_sms" id="BPMNShape_ServiceTask_sms"><omgdc:Bounds height="80.0" width="100.0" x="300.0" y="100.0"></omgdc:Bounds></bpmndi:BPMNShape>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</definitions>`;

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e instanceof AppError && e.code, String(e)).toBe('DEFINITION_INVALID');
  return e as AppError;
}

describe('bpmnToDefinition', () => {
  it('maps a three-step approval: tasks, an exclusive gateway, boundary timers and outcomes', async () => {
    const { definition, warnings } = await bpmnToDefinition(APPROVAL, { key: 'planning.permit' });
    expect(definition).toEqual({
      key: 'planning.permit', title: { 'zh-CN': '建设工程规划许可' }, initial: 'task_accept',
      states: [
        { id: 'task_accept', name: { 'zh-CN': '受理' }, kind: 'task', assignment: { role: 'window_clerk' }, sla: { workingHours: 4 } },
        { id: 'task_review', name: { 'zh-CN': '审查' }, kind: 'task', assignment: { role: 'approver' }, sla: { workingDays: 3 }, escalation: [{ kind: 'urge', after: { workingDays: 0 } }] },
        { id: 'task_sign', name: { 'zh-CN': '签发' }, kind: 'task', assignment: { person: SIGNER } },
        { id: 'end_refused', name: { 'zh-CN': '不予许可' }, kind: 'final', outcome: 'refused' },
        { id: 'end_approved', name: { 'zh-CN': '准予许可' }, kind: 'final', outcome: 'approved' },
      ],
      actions: [
        { id: 'flow_accept', name: { 'zh-CN': '受理' }, from: ['task_accept'], to: 'task_review', roles: ['window_clerk'] },
        { id: 'flow_pass', name: { 'zh-CN': '通过' }, from: ['task_review'], to: 'task_sign', roles: ['approver'] },
        { id: 'flow_refuse', name: { 'zh-CN': '不予许可' }, from: ['task_review'], to: 'end_refused', roles: ['approver'] },
        { id: 'flow_back', name: { 'zh-CN': '退回受理' }, from: ['task_review'], to: 'task_accept', roles: ['approver'] },
        { id: 'issue', name: { 'zh-CN': '签发 issue' }, from: ['task_sign'], to: 'end_approved', roles: ['department_admin'] },
      ],
    });
    expect(checkDefinition(definition)).toEqual([]);
    const says = (re: RegExp) => expect(warnings.some((w) => re.test(w)), `${re} in ${warnings.join('\n')}`).toBe(true);
    says(/Flow_pass「通过」 的条件 \$\{approved == true\} 不会执行/);
    says(/Flow_refuse「不予许可」 的条件/);
    says(/BoundaryEvent「超期」（Timer_review） 的 P3D 导入为 3 个工作日的办理时限/);
    says(/BoundaryEvent Timer_accept 的 PT4H 导入为 4 个工作小时的办理时限/);
    says(/（Timer_review） 的超时流转改为到期催办（urge）：超时不会自动转到 EndEvent「超期自动办结」（End_timeout）/);
    says(/EndEvent「超期自动办结」（End_timeout） 无法从开始事件经顺序流到达，未导入/);
    expect(warnings).toHaveLength(6);
  });

  it('maps a parallel fork/join of single user tasks to a countersign whose actions vote', async () => {
    const { definition, warnings } = await bpmnToDefinition(PARALLEL, { key: 'joint.review', title: { 'zh-CN': '联合审查', en: 'Joint review' } });
    expect(definition).toEqual({
      key: 'joint.review', title: { 'zh-CN': '联合审查', en: 'Joint review' }, initial: 'task_submit',
      states: [
        { id: 'task_submit', name: { 'zh-CN': '提交材料' }, kind: 'task', assignment: { role: 'window_clerk' } },
        { id: 'fork', name: { 'zh-CN': '会签：国土会签、环保会签' }, kind: 'countersign', countersign: { mode: 'all', assignees: [{ role: 'land_officer' }, { role: 'env_officer' }] } },
        { id: 'end_ok', name: { 'zh-CN': '批准' }, kind: 'final', outcome: 'approved' },
      ],
      actions: [
        { id: 'f2', name: { 'zh-CN': '提交' }, from: ['task_submit'], to: 'fork', roles: ['window_clerk'] },
        { id: 'flow_agree', name: { 'zh-CN': '同意' }, from: ['fork'], to: 'end_ok', roles: ['land_officer', 'env_officer'], vote: 'approve' },
        { id: 'flow_disagree', name: { 'zh-CN': '不同意' }, from: ['fork'], to: 'task_submit', roles: ['land_officer', 'env_officer'], vote: 'reject' },
      ],
    });
    expect(checkDefinition(definition)).toEqual([]);
    expect(warnings.filter((w) => !/的条件 .* 不会执行/.test(w))).toEqual([]);
  });

  it('maps a Camunda parallel multi-instance task with a completion condition to an any-of countersign', async () => {
    const { definition } = await bpmnToDefinition(MULTI, { key: 'any.of' });
    expect(definition.states).toEqual([
      { id: 'activity_sign', name: { 'zh-CN': '会签' }, kind: 'countersign', countersign: { mode: 'any', quorum: 1, assignees: [{ role: 'approver' }, { role: 'department_admin' }, { role: 'window_clerk' }] } },
      { id: 'event_done', name: { 'zh-CN': '办结' }, kind: 'final', outcome: 'completed' },
    ]);
    expect(definition.actions).toEqual([{ id: 'flow_2', name: { 'zh-CN': '转至「办结」' }, from: ['activity_sign'], to: 'event_done', roles: ['approver', 'department_admin', 'window_clerk'], vote: 'approve' }]);
    expect(checkDefinition(definition)).toEqual([]);
  });

  it('refuses unsupported elements, naming each one, instead of dropping them', async () => {
    const e = await refusal(bpmnToDefinition(SERVICE, { key: 'with.service' }));
    expect(e.errors!.map((x) => [x.pointer, x.code])).toEqual([['/bpmn/ServiceTask_sms', 'unsupported'], ['/bpmn/Script_score', 'unsupported']]);
    expect(e.errors![0]!.message).toContain('ServiceTask「发送短信」（ServiceTask_sms）');
    expect(e.errors![1]!.message).toContain('ScriptTask「打分」（Script_score）');
  });

  it('refuses malformed XML and XML that is not BPMN with a clear message', async () => {
    const broken = await refusal(bpmnToDefinition(APPROVAL.slice(0, 1500), { key: 'broken' }));
    expect(broken.errors).toEqual([{ pointer: '/bpmn', code: 'xml', message: expect.stringMatching(/^不是有效的 BPMN 2.0 XML \/ not valid BPMN 2.0 XML: unparsable content .* line: \d+ column: \d+/) }]);
    const other = await refusal(bpmnToDefinition('<?xml version="1.0"?><invoice><total>1</total></invoice>', { key: 'other' }));
    expect(other.errors![0]!.message).toContain('failed to parse document as <bpmn:Definitions>');
    const empty = await refusal(bpmnToDefinition('  ', { key: 'empty' }));
    expect(empty.errors![0]).toMatchObject({ pointer: '/bpmn', code: 'required' });
  });

  it('refuses a parallel block it cannot express as a countersign, and a task nobody is assigned to', async () => {
    const twoSteps = PARALLEL.replace('<sequenceFlow id="f5" sourceRef="Task_land" targetRef="Join">', '<userTask id="Task_land2" name="复核" flowable:candidateGroups="land_officer"></userTask><sequenceFlow id="f5" sourceRef="Task_land" targetRef="Task_land2"></sequenceFlow><sequenceFlow id="f5b" sourceRef="Task_land2" targetRef="Join">');
    const e = await refusal(bpmnToDefinition(twoSteps, { key: 'two.steps' }));
    expect(e.errors!.map((x) => [x.pointer, x.code])).toEqual([['/bpmn/Fork', 'parallel']]);
    const nobody = await refusal(bpmnToDefinition(APPROVAL.replace(' flowable:candidateGroups="approver"', ''), { key: 'nobody' }));
    expect(nobody.errors!.map((x) => [x.pointer, x.code])).toEqual([['/bpmn/Task_review', 'assignment']]);
  });

  it('returns checkDefinition\'s problems when the mapped definition is not publishable', async () => {
    const deadEnd = APPROVAL.replace('<sequenceFlow id="Flow_sign" name="签发 issue" sourceRef="Task_sign" targetRef="End_approved"></sequenceFlow>', '');
    const e = await refusal(bpmnToDefinition(deadEnd, { key: 'dead.end' }));
    expect(e.errors).toEqual([{ pointer: '/definition/states/2', code: 'dead-end', message: '状态「task_sign」不是办结状态，却没有任何操作可以离开' }]);
    const badKey = await refusal(bpmnToDefinition(APPROVAL, { key: 'Bad Key' }));
    expect(badKey.errors!.map((x) => x.pointer)).toEqual(['/definition/key']);
  });

  it('makes a start that leads to a choice a wait state left by the system, and passes through intermediate timers', async () => {
    const xml = `${FLOWABLE_HEAD}<process id="p" name="分流"><startEvent id="s"/><exclusiveGateway id="g"/>
      <userTask id="a" name="甲" flowable:candidateGroups="window_clerk"/><userTask id="b" name="乙" flowable:candidateGroups="approver"/><endEvent id="e"/>
      <intermediateCatchEvent id="w" name="冷静期"><timerEventDefinition><timeDuration>P1D</timeDuration></timerEventDefinition></intermediateCatchEvent>
      <sequenceFlow id="f0" sourceRef="s" targetRef="g"/><sequenceFlow id="f1" name="Route A" sourceRef="g" targetRef="a"/><sequenceFlow id="f2" sourceRef="g" targetRef="b"/>
      <sequenceFlow id="f3" sourceRef="a" targetRef="w"/><sequenceFlow id="f4" sourceRef="w" targetRef="e"/><sequenceFlow id="f5" sourceRef="b" targetRef="e"/></process></definitions>`;
    const { definition, warnings } = await bpmnToDefinition(xml, { key: 'route' });
    expect(definition.initial).toBe('s');
    expect(definition.states.map((s) => [s.id, s.kind])).toEqual([['s', 'wait'], ['a', 'task'], ['b', 'task'], ['e', 'final']]);
    expect(definition.actions.map((a) => [a.id, a.from, a.to, a.roles])).toEqual([
      ['route_a', ['s'], 'a', ['system']], ['f2', ['s'], 'b', ['system']], ['f4', ['a'], 'e', ['window_clerk']], ['f5', ['b'], 'e', ['approver']],
    ]);
    expect(checkDefinition(definition)).toEqual([]);
    expect(warnings).toEqual([
      '开始事件 StartEvent s 之后没有唯一的办理环节：导入为等待状态「s」，由系统执行后续操作',
      '定时中间事件 IntermediateCatchEvent「冷静期」（w）（P1D）不会等待：导入后可直接执行后续操作',
    ]);
  });

  it('lists every problem in one answer: events, loops, dynamic groups, unnamed countersign branches', async () => {
    const xml = `${FLOWABLE_HEAD}<process id="p"><startEvent id="s"><messageEventDefinition/></startEvent>
      <userTask id="a" flowable:candidateGroups="\${groups}"/><boundaryEvent id="be" attachedToRef="a"><messageEventDefinition/></boundaryEvent>
      <userTask id="b" flowable:candidateGroups="x"><multiInstanceLoopCharacteristics isSequential="true"/></userTask>
      <userTask id="c" flowable:assignee="\${assignee}"><multiInstanceLoopCharacteristics isSequential="false" flowable:collection="users"/></userTask>
      <userTask id="d" flowable:candidateGroups="x,y"><multiInstanceLoopCharacteristics isSequential="false"/></userTask><endEvent id="e1"/><endEvent id="e2"/>
      <sequenceFlow id="f0" sourceRef="s" targetRef="a"/><sequenceFlow id="f1" sourceRef="a" targetRef="b"/><sequenceFlow id="f2" sourceRef="b" targetRef="c"/>
      <sequenceFlow id="f3" sourceRef="c" targetRef="d"/><sequenceFlow id="f4" sourceRef="d" targetRef="e1"/><sequenceFlow id="f5" sourceRef="d" targetRef="e2"/></process></definitions>`;
    const e = await refusal(bpmnToDefinition(xml, { key: 'many' }));
    expect(e.errors!.map((x) => `${x.pointer} ${x.code}`)).toEqual([
      '/bpmn/s unsupported', '/bpmn/be unsupported', '/bpmn/a assignment', '/bpmn/b loop', '/bpmn/c countersign', '/bpmn/f4 vote', '/bpmn/f5 vote',
    ]);
  });

  it('stops a hostile file whose gateway ladder would multiply paths without end', async () => {
    const rungs = Array.from({ length: 40 }, (_, i) => `<exclusiveGateway id="g${i}"/><sequenceFlow id="a${i}" sourceRef="g${i}" targetRef="g${i + 1}"/><sequenceFlow id="b${i}" sourceRef="g${i}" targetRef="g${i + 1}"/>`);
    const xml = `${FLOWABLE_HEAD}<process id="p"><startEvent id="s"/><sequenceFlow id="f" sourceRef="s" targetRef="g0"/>${rungs.join('')}<exclusiveGateway id="g40"/><sequenceFlow id="z" sourceRef="g40" targetRef="e"/><endEvent id="e"/></process></definitions>`;
    const e = await refusal(bpmnToDefinition(xml, { key: 'ladder' }));
    expect(e.errors).toEqual([{ pointer: '/bpmn', code: 'too-complex', message: expect.any(String) }]);
  });

  it('turns BPMN ids into definition ids deterministically, resolving collisions', async () => {
    // `End_refused` renamed `END.APPROVED` slugs to the same id as `End_approved`; the later one gets a suffix.
    const xml = APPROVAL.replace('id="End_refused"', 'id="END.APPROVED"').replaceAll('targetRef="End_refused"', 'targetRef="END.APPROVED"');
    const { definition } = await bpmnToDefinition(xml, { key: 'ids' });
    expect(definition.states.map((s) => s.id)).toEqual(['task_accept', 'task_review', 'task_sign', 'end_approved', 'end_approved_2']);
    expect(definition.actions.find((a) => a.id === 'flow_refuse')!.to).toBe('end_approved');
    const again = await bpmnToDefinition(xml, { key: 'ids' });
    expect(again.definition).toEqual(definition);
    expect(parseDuration('PT1H30M')).toEqual({ workingHours: 1.5 });
    expect(parseDuration('P1DT4H')).toBeNull();
  });
});

// The route as the app serves it (errors, auth, validation, the engine's timers and notices).
describe('POST /api/workflow/definitions/import-bpmn', () => {
  const MANAGE = 'workflow:definition.manage', WORK = ['workflow:task.read', 'workflow:task.act'];
  const staff = (id: string, division: string, roles: Record<string, string[]>): Principal => {
    const grants = Object.entries(roles).map(([role, perms]) => ({ role, permissions: new Set(perms), division }));
    return { id: `user:${id}`, name: id, kind: 'staff', permissions: new Set(grants.flatMap((g) => [...g.permissions])), scopes: [division], grants };
  };
  const PRINCIPALS: Record<string, Principal> = {
    km: staff('0b7c1f52-1d55-4c1e-9b7a-3f1e2d4c5a60', '530100', { department_admin: [MANAGE, 'workflow:task.read'] }),
    qj: staff('1c8d2a63-2e66-4d2f-8c8b-4a2f3e5d6b71', '530300', { department_admin: [MANAGE] }),
    reader: staff('2d9e3b74-3f77-4e30-9d9c-5b304f6e7c82', '530100', { approver: WORK }),
    clerk: staff('3eaf4c85-4088-4f41-8ead-6c4150708d93', '530100', { window_clerk: WORK }),
    approver: staff('4fb05d96-5199-4052-9fbe-7d5261819ea4', '530100', { approver: WORK }),
    signer: staff(SIGNER, '530100', { department_admin: WORK }),
  };
  let t: Awaited<ReturnType<typeof testApp>>, app: FastifyInstance;
  beforeAll(async () => {
    t = await testApp();
    app = t.app;
    app.authenticators.push(async (r) => PRINCIPALS[/^Bearer (\w+)$/.exec(r.headers.authorization ?? '')?.[1] ?? ''] ?? null);
  });
  afterAll(() => t.close());

  const post = (who: string, query: string, payload: string, type = 'application/xml; charset=utf-8') =>
    app.inject({ method: 'POST', url: `/api/workflow/definitions/import-bpmn?${query}`, headers: { authorization: `Bearer ${who}`, 'content-type': type }, payload });
  const caller = (who: string) => ({ principal: PRINCIPALS[who]!, actor: { id: PRINCIPALS[who]!.id }, lang: 'zh-CN' as const });

  it('previews the mapping without publishing anything', async () => {
    const r = await post('km', 'key=planning.permit&division=530100', APPROVAL, 'text/xml');
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    expect(body.definition).toEqual((await bpmnToDefinition(APPROVAL, { key: 'planning.permit' })).definition);
    expect(body.warnings).toHaveLength(6);
    expect(body.published).toBeUndefined();
    expect(await resolveDefinition(t.core.db, 'planning.permit', '530100')).toBeNull();
  });

  it('publishes a new version for the division, audited, and the imported workflow runs end to end', async () => {
    const r = await post('km', 'key=planning.permit&division=530100&publish=true', APPROVAL);
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().published).toMatchObject({ key: 'planning.permit', version: 1, division: '530100', status: 'published', publishedBy: PRINCIPALS.km!.id });
    const again = await post('km', 'key=planning.permit&division=530100&publish=true', APPROVAL);
    expect(again.json().published.version).toBe(2);
    const inForce = await resolveDefinition(t.core.db, 'planning.permit', '530102');
    expect(inForce).toMatchObject({ version: 2, division: '530100', definition: r.json().definition });
    const audit = await t.core.db.selectFrom('audit_log').select(['actor', 'action']).where('action', '=', 'workflow.definition.publish')
      .where(sql<boolean>`detail->>'key' = 'planning.permit'`).execute();
    // Both versions of this key were published by the 昆明 administrator (built-in definitions other modules publish at start are not this test's).
    expect(audit).toEqual([{ actor: PRINCIPALS.km!.id, action: 'workflow.definition.publish' }, { actor: PRINCIPALS.km!.id, action: 'workflow.definition.publish' }]);

    // 五华区 (530102) inherits the 昆明 definition: 受理 by a clerk, 通过 by an approver, 签发 by the named person.
    const c = await start(t.core, caller('clerk'), { key: 'planning.permit', division: '530102' });
    expect(c.state).toBe('task_accept');
    await expect(act(t.core, caller('approver'), c.id, 'flow_accept', {})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await act(t.core, caller('clerk'), c.id, 'flow_accept', {})).state).toBe('task_review');
    expect((await act(t.core, caller('approver'), c.id, 'flow_pass', {})).state).toBe('task_sign');
    const done = await act(t.core, caller('signer'), c.id, 'issue', {});
    expect(done).toMatchObject({ state: 'end_approved', status: 'completed', outcome: 'approved' });
  });

  it('refuses callers without the permission or outside the division, before reading the file', async () => {
    const none = await post('reader', 'key=planning.permit&division=530100', APPROVAL);
    expect(none.statusCode).toBe(403);
    expect(none.json()).toMatchObject({ code: 'FORBIDDEN' });
    const elsewhere = await post('qj', 'key=planning.permit&division=530100', SERVICE);
    expect(elsewhere.statusCode).toBe(403);
    expect(elsewhere.json().detail).toBe('您无权在行政区划 530100 执行此操作');
    const unknown = await post('km', 'key=planning.permit&division=530199', APPROVAL);
    expect(unknown.json().code).toBe('DIVISION_NOT_FOUND');
  });

  it('answers problem+json naming every element it cannot import, and refuses malformed XML', async () => {
    const r = await post('km', 'key=with.service&division=530100&publish=true', SERVICE);
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toContain('application/problem+json');
    expect(r.json()).toMatchObject({ code: 'DEFINITION_INVALID', detail: 'BPMN 文件有 2 处不能导入' });
    expect(r.json().errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/bpmn/ServiceTask_sms', '/bpmn/Script_score']);
    expect(await resolveDefinition(t.core.db, 'with.service', '530100')).toBeNull();
    const en = await app.inject({ method: 'POST', url: '/api/workflow/definitions/import-bpmn?key=broken&division=530100', headers: { authorization: 'Bearer km', 'content-type': 'application/xml', 'accept-language': 'en' }, payload: '<definitions><process' });
    expect(en.statusCode).toBe(400);
    expect(en.json()).toMatchObject({ code: 'DEFINITION_INVALID', detail: '1 problems in the BPMN file', errors: [{ pointer: '/bpmn', code: 'xml' }] });
    const bad = await post('km', 'key=Not%20A%20Key&division=bad', APPROVAL);
    expect(bad.json().errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/query/division', '/query/key']);
  });

  it('takes XML only, up to 2 MiB', async () => {
    const json = await app.inject({ method: 'POST', url: '/api/workflow/definitions/import-bpmn?key=x.y&division=530100', headers: { authorization: 'Bearer km' }, payload: { xml: APPROVAL } });
    expect(json.statusCode).toBe(415);
    // Over the platform's 1 MiB JSON limit but within the 2 MiB for BPMN files (diagrams are verbose).
    const big = APPROVAL.replace('<process', `<!-- ${'图'.repeat(500_000)} -->\n  <process`);
    expect(Buffer.byteLength(big)).toBeGreaterThan(1_500_000);
    expect((await post('km', 'key=planning.big&division=530100', big)).statusCode).toBe(200);
    const huge = await post('km', 'key=planning.big&division=530100', APPROVAL.replace('<process', `<!-- ${'x'.repeat(2_200_000)} -->\n  <process`));
    expect(huge.statusCode).toBe(413);
    expect(huge.json().code).toBe('BODY_TOO_LARGE');
  });
});
