// The signed-in tab's tokens: kept in memory and in sessionStorage (so a reload keeps the user
// signed in; closing the tab forgets them). The access token lives 15 minutes; it is refreshed a
// minute before it expires, or after a 401, with the rotating refresh token — one refresh at a
// time, because presenting an already-used refresh token revokes the whole grant.
const KEY = 'yl.tokens';
const EARLY_MS = 60_000;

export interface Tokens {
  accessToken: string;
  refreshToken: string | null;
  idToken: string | null;
  expiresAt: number;
}

export interface TokenResponse {
  accessToken: string;
  expiresIn: number;
  refreshToken?: string;
  idToken?: string;
}

type Listener = (t: Tokens | null, reason?: 'expired') => void;

let current: Tokens | null = load();
let refreshing: Promise<Tokens | null> | null = null;
const listeners = new Set<Listener>();

function load(): Tokens | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Tokens) : null;
  } catch {
    return null;
  }
}

function save(t: Tokens | null, reason?: 'expired'): void {
  current = t;
  try {
    if (t) sessionStorage.setItem(KEY, JSON.stringify(t));
    else sessionStorage.removeItem(KEY);
  } catch {
    /* memory only */
  }
  for (const l of listeners) l(t, reason);
}

export function onTokens(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

export const currentTokens = (): Tokens | null => current;

export function storeTokens(r: TokenResponse, previous?: Tokens | null): Tokens {
  const t: Tokens = {
    accessToken: r.accessToken,
    refreshToken: r.refreshToken ?? previous?.refreshToken ?? null,
    idToken: r.idToken ?? previous?.idToken ?? null,
    expiresAt: Date.now() + r.expiresIn * 1000,
  };
  save(t);
  return t;
}

export function clearTokens(reason?: 'expired'): void {
  save(null, reason);
}

async function refresh(): Promise<Tokens | null> {
  const t = current;
  if (!t?.refreshToken) {
    if (t) clearTokens('expired');
    return null;
  }
  // fetch() rejects only when the network is down: then keep the tokens and let the caller report it.
  const res = await fetch('/api/web/token', {
    method: 'POST',
    credentials: 'omit',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grantType: 'refresh_token', refreshToken: t.refreshToken }),
  });
  if (!res.ok) {
    if (res.status === 400 || res.status === 401) clearTokens('expired');
    return null;
  }
  return storeTokens((await res.json()) as TokenResponse, t);
}

/** Refreshes once even when many requests ask at the same time. */
export function refreshNow(): Promise<Tokens | null> {
  refreshing ??= refresh().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

/** A usable access token (refreshed when it is about to expire), or null when signed out. */
export async function accessToken(): Promise<string | null> {
  const t = current;
  if (!t) return null;
  if (t.expiresAt - EARLY_MS > Date.now()) return t.accessToken;
  return (await refreshNow())?.accessToken ?? null;
}
