// /auth/callback: where the provider sends the browser back with the code.
import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Spin } from 'antd';
import { useT } from '../i18n';
import { completeSignIn } from './oidc';
import { useAuth } from './AuthProvider';

export default function Callback() {
  const t = useT();
  const auth = useAuth();
  const [error, setError] = useState<string | null>(null);
  const started = useRef(false);

  useEffect(() => {
    // React's strict mode runs effects twice in development; a code can be redeemed only once.
    if (started.current) return;
    started.current = true;
    completeSignIn(window.location.search)
      .then((to) => {
        // A full load: the auth context starts again with the new tokens.
        window.location.replace(to);
      })
      .catch((err: Error) => setError(err.message));
  }, []);

  if (error) {
    return (
      <Alert type="error" showIcon title={t('auth.failed', { reason: error })}
        action={<Button onClick={() => void auth.signIn('/portal')}>{t('auth.again')}</Button>} />
    );
  }
  return <Spin tip={t('auth.signingIn')} size="large"><div style={{ minHeight: 120 }} /></Spin>;
}
