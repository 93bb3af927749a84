// Between the password and the second factor, the browser holds a short-lived, encrypted
// "pending sign-in" cookie: which account, until when, and (during enrollment) the new secret.
import type { Core } from '../../core/index.js';

export const PENDING_COOKIE = 'yl_pending';
const AAD = Buffer.from('identity.pending-signin');
const TTL_MS = 5 * 60_000;

export interface Pending {
  accountId: string;
  exp: number;
  enrollSecret?: string;
}

export function sealPending(core: Core, p: Omit<Pending, 'exp'>): string {
  const body: Pending = { ...p, exp: core.clock.now().getTime() + TTL_MS };
  return core.crypto.encrypt(core.keys.secrets, JSON.stringify(body), AAD).toString('base64url');
}

export function openPending(core: Core, token: string | undefined): Pending | null {
  if (!token) return null;
  try {
    const p = JSON.parse(core.crypto.decrypt(core.keys.secrets, Buffer.from(token, 'base64url'), AAD).toString('utf8')) as Pending;
    return p.exp > core.clock.now().getTime() ? p : null;
  } catch {
    return null;
  }
}
