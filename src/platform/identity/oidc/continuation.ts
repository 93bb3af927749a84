// After a successful password (and second-factor) sign-in on /login, finishes the OIDC interaction
// the page was opened for (its hidden `interaction` field): the provider's session gets the
// account, and the browser goes back to the authorization endpoint to continue the flow.
import type Provider from 'oidc-provider';
import type { Core } from '../../../core/index.js';
import { audit } from '../../../core/audit/record.js';
import { pickLang } from '../../../core/http/errors.js';
import type { SignInContinuation } from '../routes.js';
import { renderErrorPage } from './pages.js';
import { amrFor, cspWithFormAction } from './provider.js';

export interface OidcContinuation extends SignInContinuation {
  /**
   * The Content-Security-Policy the /login page should send while it serves an OIDC interaction:
   * its form's submission ends in a redirect to the relying party, and Chrome and Safari check
   * `form-action` against that redirect too. Null when the interaction is unknown.
   */
  loginPageCsp(interactionUid: string): Promise<string | null>;
}

export function oidcContinuation(core: Core, provider: () => Provider): OidcContinuation {
  return {
    async loginPageCsp(interactionUid) {
      if (typeof interactionUid !== 'string' || !/^[A-Za-z0-9_-]{10,64}$/.test(interactionUid)) return null;
      const interaction = await provider().Interaction.find(interactionUid);
      if (!interaction) return null;
      return cspWithFormAction([interaction.params.redirect_uri]);
    },
    async complete(request, reply, accountId, mfa, hidden) {
      const uid = hidden.interaction;
      if (!uid) return false;
      const q = (request.query ?? {}) as Record<string, string>;
      const b = (request.body ?? {}) as Record<string, string>;
      const lang = (q.lang ?? b.lang) === 'en' ? 'en' : (q.lang ?? b.lang) === 'zh-CN' ? 'zh-CN' : pickLang(request.headers['accept-language']);
      const expired = () => reply.code(400).type('text/html; charset=utf-8').header('cache-control', 'no-store')
        .send(renderErrorPage(lang, { error: 'session_not_found', error_description: 'the sign-in request was not found or has expired' }));
      const p = provider();
      let details;
      try {
        details = await p.interactionDetails(request.raw, reply.raw);
      } catch {
        await expired();
        return true;
      }
      if (details.uid !== uid || details.prompt.name !== 'login') {
        await expired();
        return true;
      }
      const returnTo = await p.interactionResult(request.raw, reply.raw, { login: { accountId, amr: amrFor(mfa) } }, { mergeWithLastSubmission: false });
      await audit(core.db, { id: `user:${accountId}`, requestId: String(request.id) }, {
        action: 'identity.oidc.login', object: { type: 'oidc_client', id: String(details.params.client_id ?? '') }, detail: { via: 'password', mfa, ip: request.ip },
      });
      await reply.header('cache-control', 'no-store').redirect(returnTo, 303);
      return true;
    },
  };
}
