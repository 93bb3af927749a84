// The one error catalog: a stable code, an HTTP status, and a message in zh-CN and en.
// Every error a client can see is an AppError from here, rendered as RFC 9457 problem+json.
export type Lang = 'zh-CN' | 'en';
type Msg = { 'zh-CN': string; en: string };

export const ERRORS = {
  VALIDATION_FAILED: { status: 400, title: { 'zh-CN': '提交的内容有误，请按提示修改', en: 'The request has invalid fields' } },
  MALFORMED_JSON: { status: 400, title: { 'zh-CN': '请求内容不是有效的 JSON', en: 'The request body is not valid JSON' } },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: { 'zh-CN': '不支持的内容类型', en: 'Unsupported content type' } },
  BODY_TOO_LARGE: { status: 413, title: { 'zh-CN': '提交的内容过大', en: 'The request body is too large' } },
  UNAUTHENTICATED: { status: 401, title: { 'zh-CN': '请先登录', en: 'Please sign in' } },
  FORBIDDEN: { status: 403, title: { 'zh-CN': '您没有权限执行此操作', en: 'You are not allowed to do this' } },
  CSRF_FAILED: { status: 403, title: { 'zh-CN': '页面已过期，请刷新后重试', en: 'The page has expired; reload and try again' } },
  SIGNIN_FAILED: { status: 401, title: { 'zh-CN': '用户名或密码不正确', en: 'Wrong username or password' } },
  MFA_FAILED: { status: 401, title: { 'zh-CN': '验证码不正确或已使用', en: 'The code is wrong or was already used' } },
  NOT_FOUND: { status: 404, title: { 'zh-CN': '找不到您要的内容', en: 'Not found' } },
  ROUTE_NOT_FOUND: { status: 404, title: { 'zh-CN': '接口不存在', en: 'No such endpoint' } },
  METHOD_NOT_ALLOWED: { status: 405, title: { 'zh-CN': '不支持的请求方法', en: 'Method not allowed' } },
  CONFLICT: { status: 409, title: { 'zh-CN': '数据已被修改或已存在', en: 'Conflict with the current state' } },
  RATE_LIMITED: { status: 429, title: { 'zh-CN': '请求过于频繁，请稍后再试', en: 'Too many requests, please retry later' } },
  DIVISION_NOT_FOUND: { status: 404, title: { 'zh-CN': '行政区划不存在', en: 'Unknown administrative division' } },
  CALENDAR_RANGE: { status: 400, title: { 'zh-CN': '日期范围不正确', en: 'Invalid date range' } },
  INVALID_STATE: { status: 409, title: { 'zh-CN': '当前状态下不能执行此操作', en: 'Not allowed in the current state' } },
  DEFINITION_INVALID: { status: 400, title: { 'zh-CN': '配置定义不符合规范', en: 'The definition is invalid' } },
  VERSION_WITHDRAWN: { status: 409, title: { 'zh-CN': '该版本已撤回，请使用最新版本', en: 'This version has been withdrawn' } },
  IDEMPOTENCY_CONFLICT: { status: 409, title: { 'zh-CN': '重复提交：相同的请求编号已用于不同内容', en: 'Idempotency key reused with a different request' } },
  FILE_TOO_LARGE: { status: 413, title: { 'zh-CN': '文件过大', en: 'The file is too large' } },
  FILE_TYPE_REFUSED: { status: 415, title: { 'zh-CN': '不支持的文件类型', en: 'This file type is not accepted' } },
  FILE_REJECTED: { status: 422, title: { 'zh-CN': '文件未通过安全检查', en: 'The file failed the security check' } },
  RULE_NOT_MET: { status: 422, title: { 'zh-CN': '不符合办理条件', en: 'The conditions are not met' } },
  NOT_READY: { status: 503, title: { 'zh-CN': '服务暂不可用，请稍后再试', en: 'Service not ready' } },
  INTERNAL: { status: 500, title: { 'zh-CN': '系统繁忙，请稍后再试', en: 'Internal error' } },
} as const satisfies Record<string, { status: number; title: Msg }>;

export type ErrorCode = keyof typeof ERRORS;

export interface FieldError {
  /** JSON Pointer to the field in the request, e.g. `/body/applicant/idNumber`. */
  pointer: string;
  /** Short machine code of the rule that failed: required, type, format, minLength… */
  code: string;
  message: string;
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly detail?: Msg | string,
    readonly errors?: FieldError[],
    readonly extra?: Record<string, unknown>,
  ) {
    super(typeof detail === 'string' ? detail : (detail?.en ?? ERRORS[code].title.en));
    this.status = ERRORS[code].status;
    this.name = 'AppError';
  }
}

export function pickLang(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return 'zh-CN';
  // The first listed language wins; zh-CN is the default for anything not English.
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh-CN';
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: ErrorCode;
  instance?: string;
  requestId?: string;
  errors?: FieldError[];
  [k: string]: unknown;
}

export function toProblem(err: AppError, lang: Lang, instance: string, requestId: string): Problem {
  const entry = ERRORS[err.code];
  const detail = typeof err.detail === 'string' ? err.detail : err.detail?.[lang];
  return {
    type: `/problems/${err.code.toLowerCase().replace(/_/g, '-')}`,
    title: entry.title[lang],
    status: entry.status,
    ...(detail ? { detail } : {}),
    code: err.code,
    instance,
    requestId,
    ...(err.errors ? { errors: err.errors } : {}),
    ...(err.extra ?? {}),
  };
}
