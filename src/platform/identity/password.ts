// Passwords: argon2id with the OWASP Password Storage Cheat Sheet's first configuration
// (m = 19 MiB, t = 2, p = 1). @node-rs/argon2 ships prebuilt binaries; Node 20 has no argon2.
import { hash, verify } from '@node-rs/argon2';

export const ARGON2_PARAMS = { algorithm: 2 /* Argon2id */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_PARAMS);
}

export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (!stored) {
    // Same cost as a real check, so that response time does not reveal unknown accounts.
    await hash(password, ARGON2_PARAMS);
    return false;
  }
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** A password policy fit for government staff and citizens alike: 8–128 chars, not all one class. */
export function passwordProblem(password: string): { 'zh-CN': string; en: string } | null {
  if (password.length < 8 || password.length > 128) return { 'zh-CN': '密码长度须为 8 到 128 个字符', en: 'The password must have 8 to 128 characters' };
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  if (classes < 2) return { 'zh-CN': '密码须至少包含字母、数字、符号中的两类', en: 'Use at least two of: letters, digits, symbols' };
  return null;
}
