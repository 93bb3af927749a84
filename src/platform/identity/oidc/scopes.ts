// OAuth scopes Yunling understands and the claims each one releases. Every permission of the
// catalog (roles.ts) is also a scope: a client may ask for a subset of its permissions.
import { PERMISSIONS } from '../roles.js';

export type Lang = 'zh-CN' | 'en';

/** OpenID Connect scopes (user sign-in). */
export const OIDC_SCOPES = ['openid', 'profile', 'roles', 'offline_access'] as const;

/** The claims released by each scope (ID token and userinfo). */
export const SCOPE_CLAIMS: Record<string, string[]> = {
  openid: ['sub'],
  profile: ['name', 'division', 'account_type', 'uscc'],
  roles: ['roles'],
};

export const PERMISSION_SCOPES = Object.keys(PERMISSIONS);

export const ALL_SCOPES = [...OIDC_SCOPES, ...PERMISSION_SCOPES];

export const isPermissionScope = (s: string): boolean => Object.hasOwn(PERMISSIONS, s);

export const SCOPE_TEXT: Record<string, Record<Lang, string>> = {
  openid: { 'zh-CN': '您在平台上的账号标识', en: 'Your account identifier on the platform' },
  profile: { 'zh-CN': '姓名或单位名称、所属行政区划、账号类型（自然人／法人／工作人员），法人账号还包括统一社会信用代码', en: 'Your name or organisation name, administrative division, account type (citizen / enterprise / staff) and, for enterprises, the unified social credit code' },
  roles: { 'zh-CN': '您在平台上的角色', en: 'Your roles on the platform' },
  offline_access: { 'zh-CN': '在您离开后继续访问上述信息（长期授权，可随时撤销）', en: 'Keep access to the above while you are away (long-lived, can be revoked)' },
};

export const CLAIM_TEXT: Record<string, Record<Lang, string>> = {
  sub: { 'zh-CN': '账号标识', en: 'Account identifier' },
  name: { 'zh-CN': '姓名／名称', en: 'Name' },
  division: { 'zh-CN': '行政区划', en: 'Administrative division' },
  account_type: { 'zh-CN': '账号类型', en: 'Account type' },
  uscc: { 'zh-CN': '统一社会信用代码', en: 'Unified social credit code' },
  roles: { 'zh-CN': '角色', en: 'Roles' },
};

export function scopeText(scope: string, lang: Lang): string {
  const known = SCOPE_TEXT[scope];
  if (known) return known[lang];
  if (isPermissionScope(scope)) {
    const [zh, en] = (PERMISSIONS as Record<string, string>)[scope]!.split(' / ');
    return lang === 'en' ? `Act on your behalf: ${en ?? zh}` : `代表您：${zh}`;
  }
  return scope;
}
