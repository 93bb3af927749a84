// Prefill plugins: a field annotated `x-prefill: "<source>.<key>"` is filled from the source
// registered under that prefix. Plugins are async (base registries and e-licenses will answer
// over the network later); a failing plugin is logged and skipped — prefill is a convenience and
// the applicant can still type the value. The built-in `profile` source is the applicant's own
// account (when an agent acts for someone, the person acted for).
import type { Core } from '../../core/index.js';
import type { Principal } from '../../core/http/auth.js';
import { audit } from '../../core/audit/record.js';
import { getAccount, revealField } from '../identity/accounts.js';
import '../identity/tables.js';
import { setAt } from './fields.js';
import { compileForm } from './compile.js';
import type { FormLike } from './types.js';

export interface PrefillContext {
  core: Core;
  principal: Principal;
  form: FormLike;
  /** Full source keys wanted by the form, e.g. `profile.name`, all with this plugin's prefix. */
  keys: string[];
}

/** Answers values by full source key; keys it cannot fill are left out (or null). */
export type PrefillPlugin = (ctx: PrefillContext) => Promise<Record<string, unknown>>;

interface Registered {
  fn: PrefillPlugin;
  /** Keys after the prefix that the plugin knows; publishing refuses others. Undefined = any. */
  keys?: string[];
}

const plugins = new Map<string, Registered>();
export const PREFILL_SOURCE = /^([a-z][a-z0-9-]*)\.([A-Za-z0-9_.-]+)$/;

/** Registers (or, with `replace`, replaces) the plugin for `prefix` (`profile`, `registry`, `license`…). */
export function registerPrefill(prefix: string, fn: PrefillPlugin, opts: { keys?: string[]; replace?: boolean } = {}): void {
  if (!/^[a-z][a-z0-9-]*$/.test(prefix)) throw new Error(`invalid prefill prefix ${prefix}`);
  if (plugins.has(prefix) && !opts.replace) throw new Error(`prefill plugin ${prefix} is already registered`);
  plugins.set(prefix, { fn, keys: opts.keys });
}

/** Why a source cannot be used (unknown prefix or key), or null. */
export function prefillProblem(source: string): 'syntax' | 'prefix' | 'key' | null {
  const m = PREFILL_SOURCE.exec(source);
  if (!m) return 'syntax';
  const p = plugins.get(m[1]!);
  if (!p) return 'prefix';
  if (p.keys && !p.keys.includes(m[2]!)) return 'key';
  return null;
}

export const prefillPrefixes = (): string[] => [...plugins.keys()];

/**
 * Values for the form's prefilled fields, as form data (`{applicant: {name: '张三'}}`). Fields in
 * table rows are not prefilled. Values the source does not have are left out.
 */
export async function prefill(core: Core, form: FormLike, principal: Principal): Promise<Record<string, unknown>> {
  const wanted = [...compileForm(form).fields.values()].filter((f) => f.prefill && !f.listPattern && !f.pattern.includes('*'));
  const byPrefix = new Map<string, typeof wanted>();
  for (const f of wanted) {
    const prefix = f.prefill!.split('.')[0]!;
    byPrefix.set(prefix, [...(byPrefix.get(prefix) ?? []), f]);
  }
  const out: Record<string, unknown> = {};
  for (const [prefix, fields] of byPrefix) {
    const plugin = plugins.get(prefix);
    if (!plugin) continue;
    let values: Record<string, unknown>;
    try {
      values = await plugin.fn({ core, principal, form, keys: [...new Set(fields.map((f) => f.prefill!))] });
    } catch (err) {
      core.log.warn({ err, prefix, form: form.key }, 'prefill plugin failed');
      continue;
    }
    for (const f of fields) {
      const v = values[f.prefill!];
      if (v !== undefined && v !== null) setAt(out, f.pattern, v);
    }
  }
  return out;
}

// ── the built-in `profile` source ────────────────────────────────────────────────────────────

export const PROFILE_KEYS = ['name', 'idNumber', 'mobile', 'division', 'address', 'addressDetail', 'type', 'uscc', 'legalRepresentative'];
const SENSITIVE = new Set(['idNumber', 'mobile', 'address', 'addressDetail']);

const profilePlugin: PrefillPlugin = async ({ core, principal, form, keys }) => {
  const applicant = principal.onBehalfOf ?? principal.id;
  const m = /^user:([0-9a-f-]{36})$/i.exec(applicant);
  if (!m) return {};
  const account = await getAccount(core, m[1]!);
  if (!account || account.status !== 'active') return {};
  const wanted = new Set(keys.map((k) => k.slice('profile.'.length)));
  const sensitive = [...wanted].filter((k) => SENSITIVE.has(k));
  let secret: { id_number_enc: Buffer | null; mobile_enc: Buffer | null; address_enc: Buffer | null } | undefined;
  if (sensitive.length) {
    // identity exports the decryption (revealField) but no reader of the encrypted columns.
    secret = await core.db.selectFrom('account').select(['id_number_enc', 'mobile_enc', 'address_enc']).where('id', '=', account.id).executeTakeFirst();
    // Reading classified personal data is audited, even when it is the applicant's own.
    await audit(core.db, { id: principal.id, onBehalfOf: principal.onBehalfOf ?? null }, {
      action: 'forms.prefill.profile', object: { type: 'account', id: account.id }, division: account.division,
      purpose: `prefill ${form.key}${form.version ? ` v${form.version}` : ''}`, detail: { fields: sensitive.sort() },
    });
  }
  const addressDetail = secret ? revealField(core, secret.address_enc, 'address') : null;
  const all: Record<string, unknown> = {
    name: account.name,
    type: account.type,
    division: account.division,
    uscc: account.uscc,
    legalRepresentative: account.legalRepresentative,
    idNumber: secret ? revealField(core, secret.id_number_enc, 'id') : null,
    mobile: secret ? revealField(core, secret.mobile_enc, 'mobile') : null,
    addressDetail,
    address: addressDetail ? { division: account.division, detail: addressDetail } : null,
  };
  return Object.fromEntries([...wanted].map((k) => [`profile.${k}`, all[k] ?? null]));
};

registerPrefill('profile', profilePlugin, { keys: PROFILE_KEYS });
