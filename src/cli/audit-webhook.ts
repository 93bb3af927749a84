// `yunling audit …` and `yunling webhook …`.
import fs from 'node:fs';
import { type Config } from '../core/config.js';
import { verifyAudit } from '../core/audit/verify.js';
import { sealAll, maybeCheckpoint } from '../core/audit/sealer.js';
import { rotateAuditKey } from '../core/audit/keys.js';
import { createWebhook, listWebhooks, setWebhookActive } from '../core/events/webhooks.js';
import { printVerify, UsageError, CliError, cliActor, parse, withCore } from './common.js';

export type Command = (args: string[]) => (config: Config) => Promise<number>;

export const auditCommand: Command = (args) => {
  const [sub, ...rest] = args;
  if (sub === 'verify') {
    const { values } = parse(rest, { json: { type: 'boolean' } }, 0, 'audit verify');
    return (config) =>
      withCore(config, 'audit verify', async (core) => {
        const r = await verifyAudit(core.db, core.audit.hasher, core.audit.trusted);
        if (values.json) process.stdout.write(JSON.stringify(r) + '\n');
        else printVerify(r, core.crypto.hashAlgorithm);
        return r.ok ? 0 : 1;
      });
  }
  if (sub === 'seal') {
    parse(rest, {}, 0, 'audit seal');
    return (config) =>
      withCore(config, 'audit seal', async (core) => {
        const n = await sealAll(core.db, core.audit.hasher);
        await maybeCheckpoint(core.db, core.audit.signer, { every: 1, seconds: 0, now: core.clock.now(), force: true });
        process.stdout.write(`sealed ${n} entries\n`);
        return 0;
      });
  }
  if (sub === 'rotate-key') {
    parse(rest, {}, 0, 'audit rotate-key');
    return async (config) => {
      if (!fs.existsSync(config.auditKeyFile)) throw new CliError(`no audit key file at ${config.auditKeyFile} — it is created on the first start`);
      const id = rotateAuditKey(config.auditKeyFile, config.cryptoProfile);
      process.stdout.write(`new audit signing key ${id}\n`);
      return 0;
    };
  }
  throw new UsageError(sub ? `unknown audit command: ${sub}` : 'audit needs a command: verify, seal or rotate-key');
};

export const webhookCommand: Command = (args) => {
  const [sub, ...rest] = args;
  if (sub === 'add') {
    const { values: v } = parse(rest, { name: { type: 'string' }, url: { type: 'string' }, events: { type: 'string' }, division: { type: 'string' }, json: { type: 'boolean' } }, 0, 'webhook add');
    const values = v as { name?: string; url?: string; events?: string; division?: string; json?: boolean };
    if (!values.name || !values.url || !values.events) throw new UsageError('webhook add needs --name, --url and --events');
    return (config) =>
      withCore(config, 'webhook add', async (core) => {
        const r = await createWebhook(core, cliActor(), { name: values.name!, url: values.url!, eventTypes: values.events!.split(',').map((s) => s.trim()).filter(Boolean), division: values.division ?? null });
        process.stdout.write(values.json ? JSON.stringify(r) + '\n' : `webhook ${r.id}\nsecret (shown once): ${r.secret}\n`);
        return 0;
      });
  }
  if (sub === 'list') {
    const { values } = parse(rest, { json: { type: 'boolean' } }, 0, 'webhook list');
    return (config) =>
      withCore(config, 'webhook list', async (core) => {
        const list = await listWebhooks(core);
        process.stdout.write(values.json ? JSON.stringify(list) + '\n' : list.map((w) => `${w.id}  ${w.active ? 'active  ' : 'disabled'}  ${w.name}  ${w.url}  ${w.event_types.join(',')}`).join('\n') + '\n');
        return 0;
      });
  }
  if (sub === 'disable' || sub === 'enable') {
    const { positionals } = parse(rest, {}, 1, `webhook ${sub}`);
    return (config) =>
      withCore(config, `webhook ${sub}`, async (core) => {
        const ok = await setWebhookActive(core, cliActor(), positionals[0]!, sub === 'enable');
        process.stdout.write(ok ? `webhook ${positionals[0]} ${sub}d\n` : `no webhook ${positionals[0]}\n`);
        return ok ? 0 : 1;
      });
  }
  throw new UsageError(sub ? `unknown webhook command: ${sub}` : 'webhook needs a command: add, list, disable or enable');
};
