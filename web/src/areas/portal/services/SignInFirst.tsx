// Pages that need an account: ask to sign in (the shell's button) instead of calling the API.
import type { ReactNode } from 'react';
import { useAuth } from '../../../auth/AuthProvider';
import { useI18n } from '../../../i18n';
import { Notice } from '../../../shell/Notice';

export function SignInFirst({ children }: { children: ReactNode }) {
  const auth = useAuth();
  const { t } = useI18n();
  if (auth.status === 'signedIn' || auth.status === 'expired') return <>{children}</>;
  if (auth.status === 'loading') return <p role="status">{t('app.loading')}</p>;
  return <Notice tone="info" title={t('auth.required')} />;
}
