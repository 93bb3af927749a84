// The message a person receives when a benefit is offered to them (published at province level
// by notify's ensureBuiltinTemplates; a prefecture or county may override the text).
import { registerTemplate } from '../../../platform/notify/index.js';

export const OFFER_TEMPLATE = 'services.benefit-offered';

registerTemplate({
  key: OFFER_TEMPLATE, category: 'case-status', channels: ['inbox', 'sms'], placeholders: ['policyTitle', 'amount', 'expiresAt'],
  subject: { 'zh-CN': '免申即享：{{policyTitle}}', en: 'Benefit for you: {{policyTitle}}' },
  body: {
    'zh-CN': '根据登记信息，您符合「{{policyTitle}}」的享受条件（{{amount}}），无需申请。请于 {{expiresAt}} 前在“我的惠民待遇”中确认领取或说明放弃。',
    en: 'According to the registry you qualify for "{{policyTitle}}" ({{amount}}) without applying. Please accept or decline under "My benefits" by {{expiresAt}}.',
  },
  smsBody: {
    'zh-CN': '【云岭】您符合「{{policyTitle}}」享受条件（{{amount}}），无需申请，请于 {{expiresAt}} 前登录确认。',
    en: '[Yunling] You qualify for "{{policyTitle}}" ({{amount}}); sign in to accept by {{expiresAt}}.',
  },
});
