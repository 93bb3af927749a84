// The SMS rating link: `<BASE_URL>/portal/rate?t=<token>`. The token names the invitation and its
// expiry and carries an HMAC (SM3 or SHA-256, the deployment's profile) under a key derived from the
// master key for this purpose only — a case id alone, or a guessed one, never opens a rating form.
// It is not stored: one rating per invitation (a unique index) is what stops reuse.
import { timingSafeEqual } from 'node:crypto';
import type { Core } from '../../../core/index.js';

const keys = new WeakMap<Core, Buffer>();
function linkKey(core: Core): Buffer {
  let k = keys.get(core);
  if (!k) {
    k = core.crypto.deriveKey(core.keys.secrets, 'yunling/services.ratings-link/v1');
    keys.set(core, k);
  }
  return k;
}

const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64url');

export function signLinkToken(core: Core, invitationId: string, expiresAt: Date): string {
  const body = `${invitationId}.${Math.floor(expiresAt.getTime() / 1000)}`;
  return `${b64(body)}.${b64(core.crypto.hmac(linkKey(core), body))}`;
}

export type TokenCheck = { ok: true; invitationId: string; expiresAt: Date } | { ok: false; reason: 'invalid' | 'expired' };

/** Signature first (constant time), then expiry against the core clock. */
export function verifyLinkToken(core: Core, token: string): TokenCheck {
  const m = /^([A-Za-z0-9_-]{1,200})\.([A-Za-z0-9_-]{1,200})$/.exec(token);
  if (!m) return { ok: false, reason: 'invalid' };
  const body = Buffer.from(m[1]!, 'base64url').toString('utf8');
  const given = Buffer.from(m[2]!, 'base64url');
  const want = core.crypto.hmac(linkKey(core), body);
  if (given.length !== want.length || !timingSafeEqual(given, want)) return { ok: false, reason: 'invalid' };
  const parts = /^([0-9a-f-]{36})\.(\d{1,12})$/.exec(body);
  if (!parts) return { ok: false, reason: 'invalid' };
  const expiresAt = new Date(Number(parts[2]) * 1000);
  if (core.clock.now().getTime() >= expiresAt.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, invitationId: parts[1]!, expiresAt };
}

export function ratingLink(core: Core, token: string): string {
  return `${core.config.baseUrl.replace(/\/$/, '')}/portal/rate?t=${token}`;
}
