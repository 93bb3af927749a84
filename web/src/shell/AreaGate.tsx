// Opens an area only for users whose permissions allow it; says why otherwise (sign in, or not
// allowed). Loads the area's chunk behind a spinner, and catches a failed chunk load (offline).
import { Component, Suspense, type ReactNode } from 'react';
import { Alert, Button, Spin } from 'antd';
import { useAuth } from '../auth/AuthProvider';
import { useT } from '../i18n';
import { AREAS, canOpen, type AreaId } from './access';
import { Notice } from './Notice';

export function Loading() {
  const t = useT();
  return (
    <div role="status" aria-live="polite" style={{ padding: 48, textAlign: 'center' }}>
      <Spin size="large" />
      <div style={{ marginTop: 12 }}>{t('app.loading')}</div>
    </div>
  );
}

class ChunkBoundary extends Component<{ fallback: (retry: () => void) => ReactNode; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override render() {
    return this.state.failed ? this.props.fallback(() => window.location.reload()) : this.props.children;
  }
}

export function SignInRequired() {
  const t = useT();
  const auth = useAuth();
  return (
    <Notice title={t('auth.required')}
      extra={<Button type="primary" size="large" onClick={() => void auth.signIn()}>{t('auth.signIn')}</Button>} />
  );
}

export function AreaGate({ area, children }: { area: AreaId; children: ReactNode }) {
  const t = useT();
  const auth = useAuth();
  const def = AREAS.find((a) => a.id === area)!;
  if (def.anyOf.length) {
    if (auth.status === 'loading') return <Loading />;
    if (auth.status === 'signedOut') return <SignInRequired />;
    if (!canOpen(def.anyOf, auth.can)) return <Notice tone="warning" title={t('error.forbidden')} />;
  }
  return (
    <ChunkBoundary fallback={(retry) => <Alert type="error" showIcon title={t('error.network')} action={<Button onClick={retry}>{t('error.retry')}</Button>} />}>
      <Suspense fallback={<Loading />}>{children}</Suspense>
    </ChunkBoundary>
  );
}
