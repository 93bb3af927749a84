// Authorizations (用证授权) with their withdraw button, and the use log of licenses — shown on a
// license's detail page (that license only) and under 授权记录 (all of them).
import { useState } from 'react';
import { Button, Modal } from 'antd';
import { errorMessage } from '../../../api/problem';
import { useI18n, type MessageKey } from '../../../i18n';
import { revokeAuthorization, useDivisionNames, type Authorization, type Use } from './data';
import { Facts, State } from './parts';

export function AuthorizationList({ items, onChanged, licenseName, empty, testId }: {
  items: Authorization[]; onChanged(): void; licenseName?: (identifier: string) => string; empty: string; testId: string;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const division = useDivisionNames(items.map((a) => a.division));
  const [target, setTarget] = useState<Authorization | null>(null);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Record<string, unknown>>({});
  const [done, setDone] = useState('');
  const revoke = async () => {
    if (!target) return;
    const a = target;
    setBusy(true);
    try {
      await revokeAuthorization(a.id);
      setErrors((e) => ({ ...e, [a.id]: undefined }));
      setDone(t('wal.auth.revoked', { purpose: a.purpose }));
      onChanged();
    } catch (err) {
      setErrors((e) => ({ ...e, [a.id]: err }));
    } finally {
      setBusy(false);
      setTarget(null);
    }
  };
  return (
    <>
      <div aria-live="polite">{done && <p className="wal-ok" data-testid="wal-auth-done">{done}</p>}</div>
      {items.length === 0 && <p>{empty}</p>}
      <ul className="wal-entries" data-testid={testId}>
        {items.map((a) => (
          <li key={a.id} data-testid="wal-auth">
            <State state={a.status} kind="auth" inline />
            <Facts className="wal-facts" facts={[
              { key: 'license', label: t('wal.use.license'), value: licenseName?.(a.identifier) },
              { key: 'purpose', label: t('wal.auth.purpose'), value: a.purpose },
              { key: 'grantee', label: t('wal.auth.grantee'), value: division(a.division) },
              { key: 'department', label: t('wal.auth.department'), value: a.departmentName ?? a.departmentId, mono: !a.departmentName },
              { key: 'created', label: t('wal.auth.createdAt'), value: i18n.date(a.createdAt) },
              { key: 'expires', label: t('wal.auth.expiresAt'), value: i18n.date(a.expiresAt) },
              { key: 'revoked', label: t('wal.auth.revokedAt'), value: a.revokedAt ? i18n.date(a.revokedAt) : null },
            ]} />
            {a.status === 'active' && <Button danger size="large" onClick={() => setTarget(a)}>{t('wal.auth.revoke')}</Button>}
            {errors[a.id] !== undefined && <p className="wal-error" role="alert">{errorMessage(errors[a.id], i18n)}</p>}
          </li>
        ))}
      </ul>
      <Modal open={!!target} title={t('wal.auth.revokeTitle')} okText={t('wal.auth.revokeOk')} cancelText={t('common.cancel')}
        okButtonProps={{ danger: true }} confirmLoading={busy} onOk={() => void revoke()} onCancel={() => setTarget(null)} destroyOnHidden>
        {target && <p>{t('wal.auth.revokeBody', { grantee: division(target.division), purpose: target.purpose })}</p>}
      </Modal>
    </>
  );
}

export function UseList({ items, licenseName, empty, testId }: { items: Use[]; licenseName?: (identifier: string) => string; empty: string; testId: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  if (items.length === 0) return <p>{empty}</p>;
  return (
    <ul className="wal-entries" data-testid={testId}>
      {items.map((u, i) => (
        <li key={`${u.at}-${i}`}>
          <State state={u.outcome} kind="use" inline />
          <Facts className="wal-facts" facts={[
            { key: 'license', label: t('wal.use.license'), value: licenseName?.(u.identifier) },
            { key: 'at', label: t('wal.use.at'), value: i18n.date(u.at) },
            { key: 'by', label: t('wal.use.by'), value: u.by },
            { key: 'purpose', label: t('wal.use.purpose'), value: u.purpose },
            { key: 'reason', label: t('wal.use.reason'), value: u.reason ? t(`wal.use.reason.${u.reason}` as MessageKey) : null },
          ]} />
        </li>
      ))}
    </ul>
  );
}
