// Templates that ship with the code: what the workflow engine, the service portal and sign-in
// send. ensureBuiltinTemplates() publishes them at province level (530000), where a prefecture or
// county may override them by publishing the same key for its own division. Other modules add
// theirs with registerTemplate() before the app starts.
import { templateProblems, type TemplateDefinition } from './templates.js';

const tpl = (d: TemplateDefinition) => d;

const WORKFLOW = ['inbox', 'sms'] as const;
const CITIZEN = ['inbox', 'sms', 'email'] as const;
const TASK = ['caseNumber', 'title', 'state', 'dueAt'];

export const BUILTIN_TEMPLATES: TemplateDefinition[] = [
  // The workflow engine (src/platform/workflow/notices.ts) sends these with
  // { caseNumber, title (the case), state (the step's name), dueAt (local date and time) }.
  tpl({
    key: 'workflow.task-assigned', category: 'task', channels: [...WORKFLOW], placeholders: [...TASK],
    subject: { 'zh-CN': '新待办：{{title}}', en: 'New task: {{title}}' },
    body: { 'zh-CN': '您有一件新的待办：办件 {{caseNumber}}「{{title}}」的「{{state}}」环节，请于 {{dueAt}} 前办理。', en: 'You have a new task: step "{{state}}" of case {{caseNumber}} "{{title}}", due by {{dueAt}}.' },
    smsBody: { 'zh-CN': '【云岭】您有新的待办：办件 {{caseNumber}}「{{title}}」（{{state}}），请于 {{dueAt}} 前办理。', en: '[Yunling] New task: case {{caseNumber}} "{{title}}" ({{state}}), due by {{dueAt}}.' },
  }),
  tpl({
    key: 'workflow.task-reminder', category: 'reminder', channels: [...WORKFLOW], placeholders: [...TASK],
    subject: { 'zh-CN': '即将到期：{{title}}', en: 'Due soon: {{title}}' },
    body: { 'zh-CN': '提醒：办件 {{caseNumber}}「{{title}}」的「{{state}}」环节将于 {{dueAt}} 到期，请及时办理。', en: 'Reminder: step "{{state}}" of case {{caseNumber}} "{{title}}" is due by {{dueAt}}.' },
    smsBody: { 'zh-CN': '【云岭】提醒：办件 {{caseNumber}}「{{title}}」（{{state}}）将于 {{dueAt}} 到期，请及时办理。', en: '[Yunling] Reminder: case {{caseNumber}} ({{state}}) is due by {{dueAt}}.' },
  }),
  tpl({
    key: 'workflow.task-overdue', category: 'reminder', channels: [...WORKFLOW], placeholders: [...TASK],
    subject: { 'zh-CN': '催办：{{title}} 已超期', en: 'Overdue: {{title}}' },
    body: { 'zh-CN': '【催办】办件 {{caseNumber}}「{{title}}」的「{{state}}」环节已于 {{dueAt}} 到期，请立即办理。', en: 'Overdue: step "{{state}}" of case {{caseNumber}} "{{title}}" was due by {{dueAt}}. Please act now.' },
    smsBody: { 'zh-CN': '【云岭】催办：办件 {{caseNumber}}「{{title}}」（{{state}}）已于 {{dueAt}} 超期，请立即办理。', en: '[Yunling] Overdue: case {{caseNumber}} ({{state}}) was due by {{dueAt}}.' },
  }),
  tpl({
    key: 'workflow.task-supervised', category: 'task', channels: [...WORKFLOW], placeholders: [...TASK],
    subject: { 'zh-CN': '督办：{{title}}', en: 'Under supervision: {{title}}' },
    body: { 'zh-CN': '【督办】办件 {{caseNumber}}「{{title}}」的「{{state}}」环节已超过期限 {{dueAt}}，已列入督办，请督促办理并反馈。', en: 'Under supervision: step "{{state}}" of case {{caseNumber}} "{{title}}" is past its deadline ({{dueAt}}). Please see that it is handled.' },
    smsBody: { 'zh-CN': '【云岭】督办：办件 {{caseNumber}}「{{title}}」（{{state}}）已超过期限 {{dueAt}}，请督促办理。', en: '[Yunling] Supervision: case {{caseNumber}} ({{state}}) is past {{dueAt}}.' },
  }),
  tpl({
    key: 'workflow.case-notice', category: 'task', channels: [...WORKFLOW], placeholders: [...TASK],
    subject: { 'zh-CN': '超期通报：{{title}}', en: 'Deadline breach notice: {{title}}' },
    body: { 'zh-CN': '【通报】办件 {{caseNumber}}「{{title}}」的「{{state}}」环节超过期限 {{dueAt}} 仍未办结，现予通报。', en: 'Notice: step "{{state}}" of case {{caseNumber}} "{{title}}" is still open past its deadline ({{dueAt}}).' },
    smsBody: { 'zh-CN': '【云岭】通报：办件 {{caseNumber}}「{{title}}」（{{state}}）超过期限 {{dueAt}} 仍未办结。', en: '[Yunling] Notice: case {{caseNumber}} ({{state}}) is open past {{dueAt}}.' },
  }),
  tpl({
    key: 'services.case-accepted', category: 'case-status', channels: [...CITIZEN], placeholders: ['caseNumber', 'itemName', 'deadline'],
    subject: { 'zh-CN': '已受理：{{itemName}}', en: 'Accepted: {{itemName}}' },
    body: { 'zh-CN': '您申请的「{{itemName}}」已受理，办件编号 {{caseNumber}}，承诺办结时间 {{deadline}}。', en: 'Your application "{{itemName}}" has been accepted as case {{caseNumber}}; it will be decided by {{deadline}}.' },
    smsBody: { 'zh-CN': '【云岭】您申请的「{{itemName}}」已受理，办件编号 {{caseNumber}}，承诺 {{deadline}} 前办结。', en: '[Yunling] "{{itemName}}" accepted as case {{caseNumber}}; decision by {{deadline}}.' },
  }),
  tpl({
    key: 'services.case-status-changed', category: 'case-status', channels: [...CITIZEN], placeholders: ['caseNumber', 'itemName', 'status'],
    subject: { 'zh-CN': '办件进度：{{itemName}}', en: 'Case update: {{itemName}}' },
    body: { 'zh-CN': '您申请的「{{itemName}}」（办件编号 {{caseNumber}}）状态已更新为：{{status}}。', en: 'Your application "{{itemName}}" (case {{caseNumber}}) is now: {{status}}.' },
    smsBody: { 'zh-CN': '【云岭】您的办件 {{caseNumber}}「{{itemName}}」状态更新为：{{status}}。', en: '[Yunling] Case {{caseNumber}} "{{itemName}}" is now: {{status}}.' },
  }),
  tpl({
    key: 'services.correction-requested', category: 'case-status', channels: [...CITIZEN], placeholders: ['caseNumber', 'itemName', 'reason', 'deadline'],
    subject: { 'zh-CN': '请补正材料：{{itemName}}', en: 'Documents needed: {{itemName}}' },
    body: { 'zh-CN': '您申请的「{{itemName}}」（办件编号 {{caseNumber}}）需要补正：{{reason}}。请于 {{deadline}} 前登录补正，期间办理时限暂停计算。', en: 'Your application "{{itemName}}" (case {{caseNumber}}) needs more: {{reason}}. Please provide it by {{deadline}}; the processing clock is paused meanwhile.' },
    smsBody: { 'zh-CN': '【云岭】您的办件 {{caseNumber}}「{{itemName}}」需要补正：{{reason}}。请于 {{deadline}} 前登录补正。', en: '[Yunling] Case {{caseNumber}} "{{itemName}}" needs: {{reason}}. Provide it by {{deadline}}.' },
  }),
  tpl({
    key: 'identity.signin-code', category: 'security', channels: ['sms'], placeholders: ['code', 'minutes'],
    subject: { 'zh-CN': '登录验证码', en: 'Sign-in code' },
    body: { 'zh-CN': '【云岭】您的登录验证码为 {{code}}，{{minutes}} 分钟内有效。如非本人操作，请忽略。', en: '[Yunling] Your sign-in code is {{code}}, valid for {{minutes}} minutes. Ignore this if it was not you.' },
  }),
];

const registered = new Map<string, TemplateDefinition>(BUILTIN_TEMPLATES.map((d) => [d.key, d]));

/**
 * Adds (or replaces) a code-defined template that ensureBuiltinTemplates() publishes. Call it at
 * module registration; an invalid definition is a programming error and throws at once.
 */
export function registerTemplate(def: TemplateDefinition): void {
  const problems = templateProblems(def, 'en');
  if (problems.length) throw new Error(`template ${def.key}: ${problems.map((p) => `${p.pointer} ${p.message}`).join('; ')}`);
  registered.set(def.key, def);
}

export function registeredTemplates(): TemplateDefinition[] {
  return [...registered.values()];
}
