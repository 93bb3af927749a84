// Who is signed in, and what may they do: loads /api/web/me once tokens exist, exposes signIn /
// signOut, and notices when the session expires (refresh refused) so the page can say so without
// navigating away from what the user was typing.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, unwrap } from '../api/client';
import { usePrefs } from '../shell/prefs';
import type { Lang } from '../i18n';
import { currentTokens, onTokens } from './tokens';
import { signIn as startSignIn, signOut as startSignOut } from './oidc';

async function loadMe() {
  return unwrap(api.GET('/api/web/me'));
}

export type User = Awaited<ReturnType<typeof loadMe>>;
/** `expired`: the session ended while the page was open; the page stays (with what the user typed) until they sign in again. */
export type AuthStatus = 'loading' | 'signedOut' | 'signedIn' | 'expired';

export interface Auth {
  status: AuthStatus;
  user: User | null;
  can(permission: string): boolean;
  signIn(returnTo?: string): Promise<void>;
  signOut(): Promise<void>;
}

const AuthContext = createContext<Auth | null>(null);

/** The same rule as the server's hasPermission: exact, `*`, or `<module>:*`. */
export function allows(permissions: readonly string[], permission: string): boolean {
  return permissions.includes(permission) || permissions.includes('*') || permissions.includes(`${permission.split(':')[0]}:*`);
}

const SSO_TRIED = 'yl.sso-tried';

/**
 * Someone who signed in on the platform's own /login page (or another platform page) has a web
 * session cookie but no tokens here: one silent round trip through the provider (which signs them
 * in from that session without a page) gives the app its tokens. Tried once per tab and minute.
 */
async function signInFromWebSession(lang: Lang): Promise<boolean> {
  if (window.location.pathname.startsWith('/auth/')) return false;
  const last = Number(sessionStorage.getItem(SSO_TRIED) ?? 0);
  if (Date.now() - last < 60_000) return false;
  const r = await fetch('/api/auth/session', { credentials: 'same-origin' }).catch(() => null);
  const session = r?.ok ? ((await r.json()) as { authenticated?: boolean }) : null;
  if (!session?.authenticated) return false;
  sessionStorage.setItem(SSO_TRIED, String(Date.now()));
  await startSignIn(window.location.pathname + window.location.search, lang);
  return true;
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const { lang } = usePrefs();
  const [user, setUser] = useState<User | null>(null);
  const [status, setStatus] = useState<AuthStatus>(currentTokens() ? 'loading' : 'signedOut');

  const refreshUser = useCallback(async () => {
    if (!currentTokens()) {
      setUser(null);
      if (!(await signInFromWebSession(lang).catch(() => false))) setStatus('signedOut');
      return;
    }
    try {
      setUser(await loadMe());
      setStatus('signedIn');
    } catch {
      // Offline or expired: the token listener or the page's own error says which.
      setStatus(currentTokens() ? 'signedIn' : 'signedOut');
    }
    // Once per page load; the language only matters for the provider's first page.
  }, []);

  useEffect(() => {
    void refreshUser();
    return onTokens((t, reason) => {
      if (t) return;
      setStatus((s) => (reason === 'expired' && s === 'signedIn' ? 'expired' : 'signedOut'));
      if (reason !== 'expired') setUser(null);
    });
  }, [refreshUser]);

  const value = useMemo<Auth>(() => ({
    status,
    user,
    can: (p) => !!user && allows(user.permissions, p),
    signIn: (returnTo) => startSignIn(returnTo ?? window.location.pathname + window.location.search, lang),
    signOut: () => startSignOut(),
  }), [status, user, lang]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const a = useContext(AuthContext);
  if (!a) throw new Error('useAuth outside AuthProvider');
  return a;
}
