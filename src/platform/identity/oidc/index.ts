// The OIDC plugin: the OpenID Provider at ${BASE_URL}/oidc (mounted with @fastify/middie), the
// /login continuation, the consent page, the bearer-token authenticator and the client API.
//   const id = identity(core); await id.register(app);
//   await oidc(core).register(app, id.continuation);
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import middie from '@fastify/middie';
import type Provider from 'oidc-provider';
import type { Core } from '../../../core/index.js';
import type { SignInContinuation } from '../routes.js';
import { purgeExpired } from './adapter.js';
import { bearerAuthenticator } from './bearer.js';
import { oidcContinuation } from './continuation.js';
import { ensureSigningKey, keySetVersion, KEYS_ROTATED_EVENT, loadSigningJwks } from './keys.js';
import { createProvider, OIDC_MOUNT, providerAudit } from './provider.js';
import { oidcRoutes } from './routes.js';

export { createClient, disableClient, listClients, getClient, type NewClient, type ClientView } from './clients.js';
export { rotateSigningKey, retireSigningKeys, listSigningKeys } from './keys.js';
export { issuerOf } from './provider.js';
export type { OidcContinuation } from './continuation.js';

const TICK_MS = 60_000;
const PURGE_EVERY_TICKS = 10;

export interface OidcPlugin {
  /** The provider serving requests now (replaced when the signing keys change). */
  provider(): Provider;
  /** Rebuilds the provider from the database (after a key rotation made elsewhere). */
  reload(): Promise<void>;
  register(app: FastifyInstance, continuation: { current: SignInContinuation | null }): Promise<void>;
}

export function oidc(core: Core): OidcPlugin {
  let current: { provider: Provider; handle: ReturnType<Provider['callback']>; version: string } | null = null;
  const hooks = providerAudit(core);

  const build = async () => {
    await ensureSigningKey(core);
    const version = await keySetVersion(core);
    const provider = await createProvider(core, await loadSigningJwks(core), hooks);
    current = { provider, handle: provider.callback(), version };
  };

  const plugin: OidcPlugin = {
    provider() {
      if (!current) throw new Error('the OIDC provider is not registered yet');
      return current.provider;
    },
    async reload() {
      await build();
    },
    async register(app, continuation) {
      await build();
      if (!app.hasDecorator('use')) await app.register(middie);
      app.use(OIDC_MOUNT, (req: IncomingMessage, res: ServerResponse) => current!.handle(req, res));
      continuation.current = oidcContinuation(core, plugin.provider);
      app.authenticators.push(bearerAuthenticator(core, plugin.provider));
      await app.register(oidcRoutes(core, plugin.provider));

      // A rotation on another node (or by the CLI) reaches this one as a broadcast event; the
      // version check makes a repeated event cheap.
      const stop = core.events.broadcast(KEYS_ROTATED_EVENT, async () => {
        if ((await keySetVersion(core)) !== current?.version) await build();
      });
      // Fallbacks for a node that misses the event (no workers, NATS down): compare the key set
      // every minute; purge expired provider state every ten.
      let ticks = 0;
      const timer = setInterval(() => {
        ticks++;
        keySetVersion(core)
          .then((v) => (v !== current?.version ? build() : undefined))
          .catch((err) => core.log.warn({ err }, 'oidc key check failed'));
        if (ticks % PURGE_EVERY_TICKS === 0) purgeExpired(core).catch((err) => core.log.warn({ err }, 'oidc purge failed'));
      }, TICK_MS);
      timer.unref();
      app.addHook('onClose', async () => {
        stop();
        clearInterval(timer);
      });
    },
  };
  return plugin;
}
