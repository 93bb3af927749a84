// Message templates of the ratings part, published at province level by notify at start-up
// (a division may publish its own wording under the same key).
import { registerTemplate } from '../../../platform/notify/index.js';

export const INVITE_TEMPLATE = 'services.rating-invitation';
export const REPLY_TEMPLATE = 'services.rating-reply';

export function registerRatingTemplates(): void {
  registerTemplate({
    key: INVITE_TEMPLATE, category: 'case-status', channels: ['inbox', 'sms'], placeholders: ['caseNumber', 'itemName', 'link', 'expiresOn'],
    subject: { 'zh-CN': '请对「{{itemName}}」的办理进行评价', en: 'How was "{{itemName}}"?' },
    // Prompting is allowed, hinting is not (GB/T 39734 §4.1): the text names no level.
    body: { 'zh-CN': '您的办件 {{caseNumber}}「{{itemName}}」已办结。欢迎您对本次服务进行评价（自愿，不影响办理结果）：{{link}} ，{{expiresOn}} 前有效。', en: 'Your case {{caseNumber}} "{{itemName}}" is finished. You are welcome to rate the service (voluntary; it changes nothing in your case): {{link}} — valid until {{expiresOn}}.' },
    smsBody: { 'zh-CN': '【云岭】办件 {{caseNumber}}「{{itemName}}」已办结，欢迎评价（自愿）：{{link}} （{{expiresOn}} 前有效）', en: '[Yunling] Case {{caseNumber}} is finished. Rate the service (voluntary): {{link}} (until {{expiresOn}})' },
  });
  registerTemplate({
    key: REPLY_TEMPLATE, category: 'case-status', channels: ['inbox', 'sms'], placeholders: ['itemName', 'reply'],
    subject: { 'zh-CN': '关于您对「{{itemName}}」评价的答复', en: 'Reply to your rating of "{{itemName}}"' },
    body: { 'zh-CN': '感谢您的评价。承办部门答复如下：{{reply}}', en: 'Thank you for your rating. The department replies: {{reply}}' },
    smsBody: { 'zh-CN': '【云岭】关于您对「{{itemName}}」的评价，承办部门答复：{{reply}}', en: '[Yunling] About your rating of "{{itemName}}": {{reply}}' },
  });
}
