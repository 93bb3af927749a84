// 授权记录 — every authorization (用证码) the holder has given, newest first, active ones with a
// withdraw button; then every use of the holder's licenses, refused attempts included.
import { useI18n } from '../../../i18n';
import { ProblemAlert, useLoad } from '../../../shell/data';
import { AuthorizationList, UseList } from './activity';
import { loadAuthorizations, loadLicenses, loadTypeMap, loadUses } from './data';
import { Loading } from './parts';

export default function Authorizations() {
  const { t } = useI18n();
  const data = useLoad(async () => {
    const [auths, uses, licenses, types] = await Promise.all([loadAuthorizations(), loadUses(), loadLicenses(), loadTypeMap().catch(() => new Map())]);
    const names = new Map(licenses.items.map((l) => [l.identifier, `${types.get(l.typeCode)?.name ?? l.typeCode} ${l.licenseNumber}`]));
    return { auths: auths.items, uses: uses.items, names };
  }, []);
  const name = (identifier: string) => data.data?.names.get(identifier) ?? identifier;
  return (
    <>
      <ProblemAlert error={data.error} onRetry={data.reload} />
      <Loading show={data.loading && !data.data} />
      <section aria-labelledby="wal-auth-h">
        <h2 className="yl-section-title" id="wal-auth-h">{t('wal.auth.list')}</h2>
        <p className="yl-secondary">{t('wal.auth.intro')}</p>
        {data.data && <AuthorizationList testId="wal-auths" items={data.data.auths} onChanged={data.reload} licenseName={name} empty={t('wal.auth.empty')} />}
      </section>
      <section aria-labelledby="wal-use-h">
        <h2 className="yl-section-title" id="wal-use-h">{t('wal.use.list')}</h2>
        {data.data && <UseList testId="wal-uses" items={data.data.uses} licenseName={name} empty={t('wal.use.empty')} />}
      </section>
    </>
  );
}
