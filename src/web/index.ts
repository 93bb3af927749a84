// The web app on the server: serves the built app (static.ts), registers the app's OpenID Connect
// client on first use (client.ts) and the few routes the app needs (routes.ts). One line in app.ts:
//   await app.register(webApp(core));
import type { FastifyInstance } from 'fastify';
import type { Core } from '../core/index.js';
import { AppError } from '../core/http/errors.js';
import { ensureWebClient, type WebClient } from './client.js';
import { webRoutes } from './routes.js';
import { registerStatic, type StaticOptions } from './static.js';

export { APP_PREFIXES, defaultWebDist } from './static.js';
export { WEB_CLIENT_NAME, ensureWebClient } from './client.js';

export const webApp = (core: Core, opts: StaticOptions = {}) => async (app: FastifyInstance) => {
  // The client is found or registered on the first sign-in, not at start: a start writes nothing
  // (a restart keeps every row), and a node that never serves the web app never registers it.
  let pending: Promise<WebClient | null> | null = null;
  const client = () =>
    (pending ??= ensureWebClient(core).catch((err) => {
      // e.g. NODE_ENV=production with an http BASE_URL: the registry refuses the redirect URI. The
      // API and the app still serve; only signing in through the web app is unavailable.
      const detail = err instanceof AppError ? (err.errors ?? []).map((e) => `${e.pointer} ${e.message}`).join('; ') : (err as Error).message;
      core.log.warn({ detail }, 'web app sign-in disabled: its OIDC client could not be registered');
      pending = null;
      return null;
    }));
  await app.register(webRoutes(core, client));
  registerStatic(app, { plainHttp: core.config.baseUrl.startsWith('http:'), ...opts });
};
