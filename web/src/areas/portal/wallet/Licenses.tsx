// 证照 — one card per license: the type's name (the link to the detail), number, issuing authority,
// validity and its state in words. Valid licenses first, then the rest, newest first within each.
import { Link } from 'react-router';
import { useI18n } from '../../../i18n';
import { ProblemAlert, useLoad } from '../../../shell/data';
import { loadLicenses, loadTypeMap, type License } from './data';
import { Facts, Loading, State } from './parts';

export function validityText(l: Pick<License, 'validFrom' | 'validUntil'>, t: ReturnType<typeof useI18n>['t']): string {
  return l.validUntil ? t('wal.lic.range', { from: l.validFrom, until: l.validUntil }) : `${l.validFrom} · ${t('wal.lic.permanent')}`;
}

export default function Licenses() {
  const { t } = useI18n();
  const data = useLoad(async () => {
    const [licenses, types] = await Promise.all([loadLicenses(), loadTypeMap().catch(() => new Map())]);
    return { licenses: licenses.items, types };
  }, []);
  const items = [...(data.data?.licenses ?? [])].sort((a, b) => Number(b.status === 'valid') - Number(a.status === 'valid'));
  return (
    <section aria-labelledby="wal-lic-h">
      <h2 className="yl-section-title" id="wal-lic-h">{t('wal.lic.list')}</h2>
      <ProblemAlert error={data.error} onRetry={data.reload} />
      <Loading show={data.loading && !data.data} />
      {data.data && items.length === 0 && (
        <div data-testid="wal-lic-empty">
          <p>{t('wal.lic.empty')}</p>
          <p><Link className="wal-cta" to="/portal/services">{t('wal.lic.apply')}</Link></p>
        </div>
      )}
      {items.length > 0 && <p className="yl-secondary">{t('wal.lic.count', { n: items.length })}</p>}
      <ul className="wal-list" data-testid="wal-licenses">
        {items.map((l) => {
          const name = data.data?.types.get(l.typeCode)?.name ?? l.typeCode;
          return (
            <li key={l.identifier} className={`yl-card wal-card wal-card-${l.status}`}>
              <h3><Link to={`/portal/wallet/licenses/${encodeURIComponent(l.identifier)}`}>{name}</Link></h3>
              <State state={l.status} />
              <Facts className="" facts={[
                { key: 'number', label: t('wal.lic.number'), value: l.licenseNumber, mono: true },
                { key: 'issuer', label: t('wal.lic.issuer'), value: l.issuer.name },
                { key: 'validity', label: t('wal.lic.validity'), value: validityText(l, t) },
              ]} />
            </li>
          );
        })}
      </ul>
    </section>
  );
}
