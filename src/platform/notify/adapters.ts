// Delivery adapters: how an SMS or an e-mail leaves the platform. Each Core has its own registry
// (two Cores in one process are two nodes) holding the adapters by name and the one used per
// channel. `dev` delivers to the notification table itself — the admin outbox page is its
// "phone" — and is the default; `smtp` (nodemailer, loaded on first use) takes over e-mail when
// SMTP_URL is set. A real SMS gateway is an adapter object registered the same way.
import type { Core } from '../../core/index.js';

export type ExternalChannel = 'sms' | 'email';

export interface OutgoingMessage {
  /** The notification id: a gateway that supports it should use it to drop duplicates. */
  id: string;
  channel: ExternalChannel;
  /** Mobile number (11 digits) or e-mail address, in clear: the adapter's only use of it. */
  to: string;
  subject: string | null;
  body: string;
  purpose: string;
}

export interface NotifyAdapter {
  name: string;
  channels: readonly ExternalChannel[];
  /** Resolves once the gateway has accepted the message; throws (→ retry with backoff) otherwise. */
  send(message: OutgoingMessage, signal: AbortSignal): Promise<void>;
}

/** An SMS gateway is an adapter for the sms channel (only `dev` exists yet). */
export type SmsGateway = NotifyAdapter & { channels: readonly ['sms'] };

export const devAdapter: NotifyAdapter = {
  name: 'dev',
  channels: ['sms', 'email'],
  // Nothing leaves the machine: the stored row, marked sent, is what the admin outbox shows.
  send: async () => {},
};

interface Registry {
  adapters: Map<string, NotifyAdapter>;
  current: Record<ExternalChannel, string>;
}

const registries = new WeakMap<Core, Registry>();

function registry(core: Core): Registry {
  let r = registries.get(core);
  if (!r) {
    r = { adapters: new Map([[devAdapter.name, devAdapter]]), current: { sms: 'dev', email: 'dev' } };
    registries.set(core, r);
  }
  return r;
}

/** Adds an adapter; with `use`, it becomes the one that delivers those channels from now on. */
export function registerAdapter(core: Core, adapter: NotifyAdapter, opts: { use?: boolean } = {}): void {
  const r = registry(core);
  r.adapters.set(adapter.name, adapter);
  if (opts.use) for (const c of adapter.channels) r.current[c] = adapter.name;
}

export function adapterFor(core: Core, channel: ExternalChannel): NotifyAdapter {
  const r = registry(core);
  return r.adapters.get(r.current[channel])!;
}

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  requireTLS: boolean;
  user: string | null;
  pass: string | null;
  from: string;
}

/**
 * SMTP_URL → settings, or a one-line error naming the variable (never echoing the password):
 * `smtp://user:pass@mail.example.gov.cn:587?from=noreply@example.gov.cn&requireTLS=true`, or
 * `smtps://…:465` for TLS from the first byte. Until core config parses it, this is read once at
 * registerNotify time.
 */
export function parseSmtpUrl(value: string): SmtpSettings {
  const fail = (why: string): never => {
    throw new Error(`yunling: invalid configuration: SMTP_URL — ${why} (e.g. smtp://user:pass@mail.example.gov.cn:587?from=noreply@example.gov.cn)`);
  };
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return fail('not a URL');
  }
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') fail('the scheme must be smtp:// or smtps://');
  if (!u.hostname) fail('no host');
  const secure = u.protocol === 'smtps:';
  const port = u.port ? Number(u.port) : secure ? 465 : 587;
  for (const k of u.searchParams.keys()) if (k !== 'from' && k !== 'requireTLS') fail(`unknown option ${k} (allowed: from, requireTLS)`);
  const rt = u.searchParams.get('requireTLS');
  if (rt !== null && rt !== 'true' && rt !== 'false') fail('requireTLS must be true or false');
  const from = u.searchParams.get('from') ?? `noreply@${u.hostname}`;
  if (!/^[^\s@<>]+@[^\s@<>]+$/.test(from)) fail('from must be an e-mail address');
  return {
    host: u.hostname, port, secure, requireTLS: rt === 'true',
    user: u.username ? decodeURIComponent(u.username) : null, pass: u.password ? decodeURIComponent(u.password) : null, from,
  };
}

type Transport = { sendMail(m: Record<string, unknown>): Promise<unknown>; close(): void };

/** E-mail through an SMTP server; nodemailer is imported on the first message, not at start. */
export function smtpAdapter(settings: SmtpSettings): NotifyAdapter & { close(): void } {
  let transport: Promise<Transport> | null = null;
  const open = async (): Promise<Transport> => {
    const nodemailer = (await import('nodemailer')).default;
    return nodemailer.createTransport({
      host: settings.host, port: settings.port, secure: settings.secure, requireTLS: settings.requireTLS,
      ...(settings.user ? { auth: { user: settings.user, pass: settings.pass ?? '' } } : {}),
      connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000,
    }) as unknown as Transport;
  };
  return {
    name: 'smtp',
    channels: ['email'],
    async send(m) {
      transport ??= open();
      await (await transport).sendMail({
        from: { name: '云岭 Yunling', address: settings.from }, to: m.to, subject: m.subject ?? '', text: m.body,
        messageId: `<${m.id}@${settings.from.split('@')[1]}>`, headers: { 'X-Yunling-Purpose': m.purpose },
      });
    },
    close() {
      void transport?.then((t) => t.close()).catch(() => {});
    },
  };
}

/** The adapters this node's environment asks for (called once per Core by registerNotify). */
export function configureAdapters(core: Core, env: NodeJS.ProcessEnv): void {
  registry(core);
  const url = env.SMTP_URL?.trim();
  if (url) registerAdapter(core, smtpAdapter(parseSmtpUrl(url)), { use: true });
}
