// The permission catalog and the built-in roles. A permission is `<module>:<resource>.<verb>`;
// a route declares the one it needs; a role bundles permissions; a role ASSIGNMENT binds a role to
// an account within a division subtree (and optionally one department). Deny by default.
export const PERMISSIONS = {
  'core:calendar.write': '设置地方节假日 / set local holidays',
  'core:audit.read': '查看审计日志 / read the audit log',
  'core:webhook.manage': '管理 Webhook / manage webhooks',
  'core:ops.read': '查看运行状态 / read operations status',
  'identity:account.read': '查看账号 / read accounts',
  'identity:account.manage': '管理账号 / create and change accounts',
  'identity:role.assign': '授予角色 / assign roles',
  'identity:client.manage': '管理接入系统 / manage OIDC clients',
  'identity:session.revoke': '强制下线 / revoke sessions',
  'identity:delegation.manage': '委托他人代办 / delegate and act for others',
  'org:department.read': '查看组织机构 / read departments',
  'org:department.manage': '管理组织机构 / manage departments and staff placement',
  'workflow:definition.read': '查看流程定义 / read workflow definitions',
  'workflow:definition.manage': '发布流程定义 / publish workflow definitions',
  'workflow:task.read': '查看待办任务 / read workflow tasks',
  'workflow:task.act': '办理待办任务 / act on workflow tasks',
  'workflow:task.supervise': '督办与改派 / supervise and reassign tasks',
  'forms:definition.manage': '发布表单 / publish forms',
  'rules:ruleset.manage': '发布规则 / publish rule sets',
  'files:file.upload': '上传文件 / upload files',
  'notify:template.manage': '管理消息模板 / manage message templates',
  'licenses:type.manage': '定义电子证照类型 / define e-license types',
  'licenses:license.issue': '签发与注销电子证照 / issue and revoke e-licenses',
  'licenses:license.read': '查看与核验电子证照 / read e-licenses (and fetch with the holder\'s authorization)',
  'licenses:bill.issue': '缴费后开具财政电子票据 / issue fiscal e-bills after a payment',
  'seals:seal.manage': '管理电子印章 / manage e-seals and their authorizations',
  'seals:seal.read': '查看电子印章 / read e-seals and their usage',
  'services:item.manage': '发布政务服务事项 / publish service items',
  'services:benefit.manage': '发布惠企惠民政策与免申即享 / manage benefit policies and scans',
  'services:benefit.read': '查看免申即享兑现 / read benefit grants',
  'services:rating.read': '查看好差评与整改 / read ratings and rectifications',
  'services:rating.record': '代录评价（窗口、热线）/ record ratings at the counter or hotline',
  'services:application.create': '提交申请 / submit applications',
  'services:application.read-own': '查看本人申请 / read own applications',
  'services:case.read': '查看办件 / read cases',
  'services:case.accept': '受理办件 / accept cases',
  'services:case.approve': '审批办件 / approve cases',
  'hotline:order.create': '登记工单 / register work orders',
  'hotline:order.read': '查看工单 / read work orders',
  'hotline:order.dispatch': '派发工单 / dispatch work orders',
  'hotline:order.handle': '办理工单 / handle work orders',
  'hotline:kb.read': '查看知识库 / read the knowledge base',
  'hotline:kb.manage': '维护知识库 / maintain the knowledge base',
  'hotline:config.manage': '设置热线办理时限与派单规则 / set hotline time limits and dispatch rules',
  'data:catalog.read': '查看数据目录 / read the data catalog',
  'data:catalog.manage': '维护数据目录 / maintain the data catalog',
  'data:share.approve': '审批共享申请 / approve sharing requests',
} as const;

export type Permission = keyof typeof PERMISSIONS;

export interface RoleDefinition {
  code: string;
  nameZh: string;
  nameEn: string;
  /** Holders must pass a TOTP second factor (admin and approval roles). */
  requiresMfa: boolean;
  permissions: string[];
}

const readAll = (Object.keys(PERMISSIONS) as string[]).filter((p) => /\.(read|read-own)$/.test(p));

export const BUILTIN_ROLES: RoleDefinition[] = [
  { code: 'citizen', nameZh: '自然人', nameEn: 'Citizen', requiresMfa: false, permissions: ['services:application.create', 'services:application.read-own', 'hotline:order.create', 'identity:delegation.manage', 'files:file.upload'] },
  { code: 'enterprise', nameZh: '法人', nameEn: 'Enterprise', requiresMfa: false, permissions: ['services:application.create', 'services:application.read-own', 'hotline:order.create', 'identity:delegation.manage', 'files:file.upload'] },
  { code: 'window_clerk', nameZh: '窗口工作人员', nameEn: 'Window clerk', requiresMfa: false, permissions: ['services:case.read', 'services:case.accept', 'services:application.create', 'org:department.read', 'workflow:task.read', 'workflow:task.act', 'files:file.upload', 'services:benefit.read', 'services:rating.read', 'services:rating.record', 'licenses:license.read', 'licenses:bill.issue'] },
  { code: 'approver', nameZh: '审批人员', nameEn: 'Approver', requiresMfa: true, permissions: ['services:case.read', 'services:case.approve', 'org:department.read', 'workflow:task.read', 'workflow:task.act', 'files:file.upload', 'services:benefit.read', 'services:rating.read', 'licenses:license.issue', 'licenses:license.read', 'seals:seal.read'] },
  { code: 'department_admin', nameZh: '部门管理员', nameEn: 'Department administrator', requiresMfa: true, permissions: ['identity:account.read', 'identity:account.manage', 'identity:role.assign', 'identity:session.revoke', 'org:department.read', 'org:department.manage', 'core:calendar.write', 'workflow:definition.read', 'workflow:definition.manage', 'workflow:task.read', 'workflow:task.supervise', 'forms:definition.manage', 'rules:ruleset.manage', 'notify:template.manage', 'services:item.manage', 'services:benefit.manage', 'services:benefit.read', 'services:rating.read', 'files:file.upload', 'hotline:kb.manage', 'hotline:config.manage', 'licenses:type.manage', 'licenses:license.read', 'seals:seal.manage', 'seals:seal.read'] },
  { code: 'hotline_operator', nameZh: '热线话务员', nameEn: 'Hotline operator', requiresMfa: false, permissions: ['hotline:order.create', 'hotline:order.read', 'hotline:kb.read', 'workflow:task.read', 'workflow:task.act', 'files:file.upload', 'services:rating.record'] },
  { code: 'hotline_dispatcher', nameZh: '热线派单员', nameEn: 'Hotline dispatcher', requiresMfa: false, permissions: ['hotline:order.read', 'hotline:order.dispatch', 'hotline:kb.read', 'hotline:kb.manage', 'workflow:task.read', 'workflow:task.act', 'workflow:task.supervise'] },
  // 承办单位: the departments that sign for, handle and answer 12345 work orders — only the orders
  // dispatched to their own department (no hotline:order.read, which reads a whole division).
  { code: 'hotline_unit', nameZh: '热线承办单位', nameEn: 'Hotline handling unit', requiresMfa: false, permissions: ['hotline:order.handle', 'hotline:kb.read', 'workflow:task.read', 'workflow:task.act', 'files:file.upload'] },
  { code: 'data_steward', nameZh: '数据管理员', nameEn: 'Data steward', requiresMfa: false, permissions: ['data:catalog.read', 'data:catalog.manage', 'data:share.approve'] },
  // Read-only by construction: only `.read` permissions, never a write.
  { code: 'auditor', nameZh: '审计员', nameEn: 'Auditor', requiresMfa: false, permissions: [...readAll, 'core:audit.read'] },
  // Everything the catalog offers; erasing audit is not a permission at all (the database refuses it).
  { code: 'system_admin', nameZh: '系统管理员', nameEn: 'System administrator', requiresMfa: true, permissions: ['*'] },
];

export function roleByCode(code: string): RoleDefinition | undefined {
  return BUILTIN_ROLES.find((r) => r.code === code);
}
