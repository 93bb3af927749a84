// The sign-in page at /login: server-rendered, works without JavaScript, zh-CN first and en,
// accessible (labels, landmarks, an alert region, autocomplete hints), readable at 360 px and in
// the elderly mode (larger text, higher contrast: ?mode=elderly or the yl_elderly cookie).
type Lang = 'zh-CN' | 'en';

const T = {
  'zh-CN': {
    title: '登录 · 云岭政务服务平台', heading: '统一身份认证', sub: '一处认证，全网通行',
    username: '用户名 / 手机号 / 证件号', password: '密码', submit: '登录', code: '动态验证码（6 位）', verify: '验证',
    mfaHeading: '二次验证', mfaHint: '请输入身份验证器 App 上显示的 6 位验证码。',
    enrollHeading: '绑定身份验证器', enrollHint: '您的角色需要二次验证。请用身份验证器 App 扫描或手动输入以下密钥，然后输入显示的 6 位验证码。', secret: '密钥',
    other: 'English', elderly: '长辈模式', normal: '标准模式', skip: '跳到登录表单',
  },
  en: {
    title: 'Sign in · Yunling government services', heading: 'Unified sign-in', sub: 'One identity for every government service',
    username: 'Username', password: 'Password', submit: 'Sign in', code: 'One-time code (6 digits)', verify: 'Verify',
    mfaHeading: 'Second factor', mfaHint: 'Enter the 6-digit code shown in your authenticator app.',
    enrollHeading: 'Set up your authenticator', enrollHint: 'Your role needs a second factor. Add this key to an authenticator app, then enter the 6-digit code it shows.', secret: 'Key',
    other: '中文', elderly: 'Large text', normal: 'Standard', skip: 'Skip to the sign-in form',
  },
} as const;

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export interface PageOptions {
  lang: Lang;
  elderly: boolean;
  step: 'password' | 'mfa' | 'enroll';
  error?: string;
  username?: string;
  hidden: Record<string, string>;
  secret?: string;
  otpauth?: string;
}

function switchLink(o: PageOptions, changes: Record<string, string>): string {
  const q = new URLSearchParams({ ...o.hidden, lang: o.lang, mode: o.elderly ? 'elderly' : 'standard', ...changes });
  return `/login?${q.toString()}`;
}

export function renderLoginPage(o: PageOptions): string {
  const t = T[o.lang];
  const hidden = Object.entries(o.hidden).map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`).join('');
  const error = o.error ? `<p class="error" role="alert" id="form-error">${esc(o.error)}</p>` : '<p role="alert" id="form-error" class="sr-only"></p>';
  const described = o.error ? ' aria-describedby="form-error" aria-invalid="true"' : '';
  let form: string;
  if (o.step === 'password') {
    form = `<form method="post" action="/login" id="login-form" novalidate>${hidden}
      <label for="username">${t.username}</label>
      <input id="username" name="username" autocomplete="username" required autofocus value="${esc(o.username ?? '')}"${described}>
      <label for="password">${t.password}</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required${described}>
      <button type="submit">${t.submit}</button></form>`;
  } else {
    const enroll = o.step === 'enroll'
      ? `<p>${t.enrollHint}</p><p><span>${t.secret}: </span><code id="totp-secret">${esc(o.secret ?? '')}</code></p><p class="uri"><a href="${esc(o.otpauth ?? '')}">${esc(o.otpauth ?? '')}</a></p>`
      : `<p>${t.mfaHint}</p>`;
    form = `${enroll}<form method="post" action="/login/mfa" id="login-form" novalidate>${hidden}
      <label for="code">${t.code}</label>
      <input id="code" name="code" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="one-time-code" required autofocus${described}>
      <button type="submit">${t.verify}</button></form>`;
  }
  const heading = o.step === 'password' ? t.heading : o.step === 'mfa' ? t.mfaHeading : t.enrollHeading;
  return `<!doctype html>
<html lang="${o.lang}"${o.elderly ? ' class="elderly"' : ''}>
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t.title}</title>
<style>
:root{--fg:#1f2329;--bg:#f5f6f7;--accent:#b7292c;--card:#fff;font-size:16px}
html.elderly{--fg:#000;--bg:#fff;--accent:#8a0000;font-size:22px}
*{box-sizing:border-box}body{margin:0;font-family:"PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif;background:var(--bg);color:var(--fg);line-height:1.6}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px}
header,footer{padding:12px 16px}header nav a{margin-right:12px;color:var(--accent)}
main{max-width:420px;margin:0 auto;padding:16px}section{background:var(--card);border-radius:8px;padding:20px;box-shadow:0 1px 3px rgba(0,0,0,.1)}
h1{font-size:1.5rem;margin:.2em 0}label{display:block;margin-top:1em;font-weight:600}
input{width:100%;font-size:1rem;padding:.6em;border:2px solid #767676;border-radius:4px}
button{margin-top:1.2em;width:100%;font-size:1.1rem;padding:.7em;background:var(--accent);color:#fff;border:0;border-radius:4px;cursor:pointer}
:focus-visible{outline:3px solid #0a58ca;outline-offset:2px}.error{color:var(--accent);font-weight:600}.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
code{word-break:break-all;font-size:1.1em}.uri{font-size:.8em;word-break:break-all}
</style></head>
<body>
<a class="skip" href="#login-form">${t.skip}</a>
<header role="banner"><nav aria-label="${o.lang === 'en' ? 'Page options' : '页面选项'}">
<a href="${esc(switchLink(o, { lang: o.lang === 'en' ? 'zh-CN' : 'en' }))}" lang="${o.lang === 'en' ? 'zh-CN' : 'en'}">${t.other}</a>
<a href="${esc(switchLink(o, { mode: o.elderly ? 'standard' : 'elderly' }))}">${o.elderly ? t.normal : t.elderly}</a>
</nav></header>
<main id="main"><section aria-labelledby="heading"><h1 id="heading">${heading}</h1><p>${t.sub}</p>${error}${form}</section></main>
<footer role="contentinfo"><small>云岭 Yunling</small></footer>
</body></html>`;
}
