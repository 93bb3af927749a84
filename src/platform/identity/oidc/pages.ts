// Server-rendered pages of the OpenID Provider: consent (third-party systems), sign-out
// confirmation, signed-out, and errors. zh-CN first and en, no JavaScript, accessible (landmarks,
// headings, labelled lists, visible focus), readable at 360 px and in the elderly mode.
import { CLAIM_TEXT, SCOPE_CLAIMS, scopeText, type Lang } from './scopes.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const CSS = `:root{--fg:#1f2329;--bg:#f5f6f7;--accent:#b7292c;--card:#fff;font-size:16px}
html.elderly{--fg:#000;--bg:#fff;--accent:#8a0000;font-size:22px}
*{box-sizing:border-box}body{margin:0;font-family:"PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif;background:var(--bg);color:var(--fg);line-height:1.6}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px}
header,footer{padding:12px 16px}header nav a{margin-right:12px;color:var(--accent)}
main{max-width:480px;margin:0 auto;padding:16px}section{background:var(--card);border-radius:8px;padding:20px;box-shadow:0 1px 3px rgba(0,0,0,.1)}
h1{font-size:1.5rem;margin:.2em 0}h2{font-size:1.1rem;margin:1em 0 .3em}ul{padding-left:1.2em}li{margin:.3em 0}
.claims{color:#4e5969;font-size:.9em}
button{margin-top:1em;width:100%;font-size:1.1rem;padding:.7em;border-radius:4px;cursor:pointer;border:2px solid var(--accent)}
button.primary{background:var(--accent);color:#fff}button.secondary{background:#fff;color:var(--accent)}
:focus-visible{outline:3px solid #0a58ca;outline-offset:2px}.error{color:var(--accent);font-weight:600}code{word-break:break-all}`;

function layout(lang: Lang, elderly: boolean, title: string, body: string, switcher = ''): string {
  return `<!doctype html>
<html lang="${lang}"${elderly ? ' class="elderly"' : ''}>
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><style>${CSS}</style></head>
<body>
<a class="skip" href="#main">${lang === 'en' ? 'Skip to content' : '跳到主要内容'}</a>
<header role="banner">${switcher}</header>
<main id="main">${body}</main>
<footer role="contentinfo"><small>云岭 Yunling · ${lang === 'en' ? 'Unified sign-in' : '统一身份认证'}</small></footer>
</body></html>`;
}

export interface ConsentPageOptions {
  lang: Lang;
  elderly: boolean;
  uid: string;
  csrf: string;
  clientName: string;
  accountName: string;
  scopes: string[];
  claims: string[];
  error?: string;
}

export function renderConsentPage(o: ConsentPageOptions): string {
  const en = o.lang === 'en';
  const items = o.scopes.map((s) => {
    const claims = (SCOPE_CLAIMS[s] ?? []).map((c) => CLAIM_TEXT[c]?.[o.lang] ?? c);
    return `<li><span>${esc(scopeText(s, o.lang))}</span>${claims.length ? `<br><span class="claims">${en ? 'Claims' : '包括'}：${esc(claims.join(en ? ', ' : '、'))}</span>` : ''}</li>`;
  });
  for (const c of o.claims) if (!o.scopes.some((s) => SCOPE_CLAIMS[s]?.includes(c))) items.push(`<li>${esc(CLAIM_TEXT[c]?.[o.lang] ?? c)}</li>`);
  const other: Lang = en ? 'zh-CN' : 'en';
  const q = (changes: Record<string, string>) => `/oidc-consent/${encodeURIComponent(o.uid)}?${new URLSearchParams({ lang: o.lang, mode: o.elderly ? 'elderly' : 'standard', ...changes })}`;
  const switcher = `<nav aria-label="${en ? 'Page options' : '页面选项'}"><a href="${esc(q({ lang: other }))}" lang="${other}">${en ? '中文' : 'English'}</a>
<a href="${esc(q({ mode: o.elderly ? 'standard' : 'elderly' }))}">${o.elderly ? (en ? 'Standard' : '标准模式') : en ? 'Large text' : '长辈模式'}</a></nav>`;
  const title = en ? 'Authorize access' : '授权确认';
  const body = `<section aria-labelledby="heading"><h1 id="heading">${title}</h1>
${o.error ? `<p class="error" role="alert">${esc(o.error)}</p>` : ''}
<p>${en ? `You are signed in as <strong>${esc(o.accountName)}</strong>.` : `您已以 <strong>${esc(o.accountName)}</strong> 的身份登录。`}</p>
<p><strong>${esc(o.clientName)}</strong> ${en ? 'asks to receive:' : '请求获取以下信息：'}</p>
<h2 id="scopes-heading">${en ? 'Requested information' : '申请获取的信息'}</h2>
<ul aria-labelledby="scopes-heading">${items.join('')}</ul>
<p>${en ? 'Only allow systems you trust. You can withdraw the authorization by signing out.' : '请只授权您信任的系统。退出登录即可撤销本次授权。'}</p>
<form method="post" action="/oidc-consent/${esc(encodeURIComponent(o.uid))}" id="consent-form">
<input type="hidden" name="csrf" value="${esc(o.csrf)}"><input type="hidden" name="lang" value="${o.lang}"><input type="hidden" name="mode" value="${o.elderly ? 'elderly' : 'standard'}">
<button type="submit" class="primary" name="decision" value="allow">${en ? 'Allow' : '同意授权'}</button>
<button type="submit" class="secondary" name="decision" value="deny">${en ? 'Deny' : '拒绝'}</button>
</form></section>`;
  return layout(o.lang, o.elderly, `${title} · ${en ? 'Yunling' : '云岭'}`, body, switcher);
}

/** The provider's own sign-out confirmation; `form` is the provider's hidden form (with its xsrf token). */
export function renderLogoutPage(lang: Lang, form: string, clientName: string | undefined): string {
  const en = lang === 'en';
  const body = `<section aria-labelledby="heading"><h1 id="heading">${en ? 'Sign out?' : '确认退出登录？'}</h1>
<p>${clientName ? (en ? `<strong>${esc(clientName)}</strong> asks to sign you out of the unified sign-in.` : `<strong>${esc(clientName)}</strong> 请求退出统一身份认证登录。`) : en ? 'Sign out of the unified sign-in?' : '是否退出统一身份认证登录？'}</p>
${form}
<button autofocus type="submit" class="primary" form="op.logoutForm" name="logout" value="yes">${en ? 'Yes, sign me out' : '退出登录'}</button>
<button type="submit" class="secondary" form="op.logoutForm">${en ? 'No, stay signed in' : '保持登录'}</button></section>`;
  return layout(lang, false, en ? 'Sign out · Yunling' : '退出登录 · 云岭', body);
}

export function renderLoggedOutPage(lang: Lang, clientName: string | undefined): string {
  const en = lang === 'en';
  const body = `<section aria-labelledby="heading"><h1 id="heading">${en ? 'You are signed out' : '您已退出登录'}</h1>
<p>${clientName ? (en ? `You have signed out of <strong>${esc(clientName)}</strong> and the unified sign-in.` : `您已退出 <strong>${esc(clientName)}</strong> 及统一身份认证。`) : en ? 'You have signed out of the unified sign-in.' : '您已退出统一身份认证。'}</p></section>`;
  return layout(lang, false, en ? 'Signed out · Yunling' : '已退出 · 云岭', body);
}

const ERROR_TEXT: Record<string, Record<Lang, string>> = {
  invalid_request: { 'zh-CN': '请求参数不正确（例如回调地址未登记）。', en: 'The request is invalid (for example, the redirect URI is not registered).' },
  invalid_client: { 'zh-CN': '接入系统不存在或已停用。', en: 'The client is unknown or disabled.' },
  invalid_redirect_uri: { 'zh-CN': '回调地址未登记。', en: 'The redirect URI is not registered.' },
  access_denied: { 'zh-CN': '授权被拒绝。', en: 'Access was denied.' },
  session_not_found: { 'zh-CN': '登录请求已过期，请返回原系统重新登录。', en: 'The sign-in request has expired; go back to the application and start again.' },
  invalid_scope: { 'zh-CN': '请求的权限范围不被允许。', en: 'The requested scope is not allowed.' },
};

export function renderErrorPage(lang: Lang, out: { error?: string; error_description?: string }, status = 400): string {
  const en = lang === 'en';
  const error = out.error ?? 'server_error';
  const explain = ERROR_TEXT[error]?.[lang] ?? (en ? 'The sign-in could not be completed.' : '无法完成登录。');
  const body = `<section aria-labelledby="heading"><h1 id="heading">${en ? 'Sign-in problem' : '登录出现问题'}</h1>
<p class="error" role="alert">${esc(explain)}</p>
<p>${en ? 'Details' : '详细信息'}：<code>${esc(error)}</code>${out.error_description ? ` — <span lang="en">${esc(out.error_description)}</span>` : ''}</p>
<p>${en ? 'Go back to the application you came from and try again.' : '请返回您原来使用的系统重新操作。'}${status >= 500 ? (en ? ' If it keeps happening, contact the service desk.' : '如多次出现，请联系服务台。') : ''}</p></section>`;
  return layout(lang, false, en ? 'Sign-in problem · Yunling' : '登录出现问题 · 云岭', body);
}
