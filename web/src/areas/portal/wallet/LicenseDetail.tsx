// One license: every field the wallet API returns (holder code masked as the API masks it), the
// face data with the type's field titles, the signed PDF, the public verify page (QR + link), its
// active authorizations (withdraw) and who has used it. The holder has no single-license route,
// so the license is taken from GET /api/licenses/mine.
import { Link, useParams } from 'react-router';
import { useI18n, type MessageKey } from '../../../i18n';
import { Notice } from '../../../shell/Notice';
import { ProblemAlert, useLoad } from '../../../shell/data';
import { usePageTitle } from '../../../shell/title';
import { AuthorizationList, UseList } from './activity';
import { AuthorizeForm } from './Authorize';
import { downloadLicensePdf, faceRows, licenseVerifyPath, loadAuthorizations, loadLicenses, loadTypeMap, loadUses, useDivisionNames } from './data';
import { validityText } from './Licenses';
import { BackLink, Facts, Loading, PdfButton, QrCode, State } from './parts';

export default function LicenseDetail() {
  const i18n = useI18n();
  const { t } = i18n;
  usePageTitle('wal.lic.facts');
  const identifier = decodeURIComponent(useParams().identifier ?? '').trim().toUpperCase();
  const data = useLoad(async () => {
    const [licenses, types] = await Promise.all([loadLicenses(), loadTypeMap().catch(() => new Map())]);
    return { license: licenses.items.find((l) => l.identifier === identifier), types };
  }, [identifier]);
  const activity = useLoad(async () => {
    const [auths, uses] = await Promise.all([loadAuthorizations(), loadUses()]);
    return { auths: auths.items.filter((a) => a.identifier === identifier && a.status === 'active'), uses: uses.items.filter((u) => u.identifier === identifier) };
  }, [identifier]);
  const l = data.data?.license;
  const division = useDivisionNames(l ? [l.division] : []);
  if (data.error) return <><BackLink /><ProblemAlert error={data.error} onRetry={data.reload} /></>;
  if (!data.data) return <Loading show />;
  if (!l) return <><Notice tone="warning" title={t('wal.lic.notFound')} /><BackLink /></>;
  const type = data.data.types.get(l.typeCode);
  const name = type?.name ?? l.typeCode;
  const verifyUrl = `${window.location.origin}${licenseVerifyPath(l.identifier)}`;
  return (
    <>
      <BackLink />
      <h1 className="yl-page-title">{name}</h1>
      <State state={l.status} inline />
      <section aria-labelledby="wal-facts-h">
        <h2 className="yl-section-title" id="wal-facts-h">{t('wal.lic.facts')}</h2>
        <Facts testId="wal-license-facts" facts={[
          { key: 'type', label: t('wal.lic.type'), value: name },
          { key: 'number', label: t('wal.lic.number'), value: l.licenseNumber, mono: true },
          { key: 'holder', label: t('wal.lic.holder'), value: l.holder.name },
          { key: 'holderCodeType', label: t('wal.lic.holderCodeType'), value: t(`wal.lic.codeType.${l.holder.codeType}` as MessageKey) },
          { key: 'holderCode', label: t('wal.lic.holderCode'), value: l.holder.codeMasked, mono: true },
          { key: 'issuer', label: t('wal.lic.issuer'), value: l.issuer.name },
          { key: 'issuerCode', label: t('wal.lic.issuerCode'), value: l.issuer.code, mono: true },
          { key: 'validity', label: t('wal.lic.validity'), value: validityText(l, t) },
          { key: 'issuedOn', label: t('wal.lic.issuedOn'), value: l.issuedOn },
          { key: 'validFrom', label: t('wal.lic.validFrom'), value: l.validFrom },
          { key: 'validUntil', label: t('wal.lic.validUntil'), value: l.validUntil ?? t('wal.lic.permanent') },
          { key: 'status', label: t('wal.lic.status'), value: t(`wal.status.${l.status}` as MessageKey) },
          { key: 'statusReason', label: t('wal.lic.statusReason'), value: l.statusReason },
          { key: 'supersededBy', label: t('wal.lic.supersededBy'), value: l.supersededBy && <Link to={`/portal/wallet/licenses/${encodeURIComponent(l.supersededBy)}`}>{l.supersededBy}</Link>, mono: true },
          { key: 'division', label: t('wal.lic.division'), value: division(l.division) },
          { key: 'identifier', label: t('wal.lic.identifier'), value: l.identifier, mono: true },
          { key: 'typeCode', label: t('wal.lic.typeCode'), value: l.typeCode, mono: true },
          { key: 'version', label: t('wal.lic.version'), value: String(l.version) },
          { key: 'caseRef', label: t('wal.lic.caseRef'), value: l.caseRef, mono: true },
          { key: 'keyId', label: t('wal.lic.keyId'), value: l.keyId, mono: true },
          { key: 'createdAt', label: t('wal.lic.createdAt'), value: i18n.date(l.createdAt) },
        ]} />
      </section>
      <section aria-labelledby="wal-face-h">
        <h2 className="yl-section-title" id="wal-face-h">{t('wal.lic.face')}</h2>
        <Facts testId="wal-face" facts={faceRows(l, type).map((f) => ({ key: f.key, label: f.label, value: f.value }))} />
      </section>
      <div className="wal-actions">
        <PdfButton testId="wal-license-pdf" label={t('wal.lic.pdf')} hint={t('wal.lic.pdfHint')} download={() => downloadLicensePdf(l, name)} />
      </div>
      <section aria-labelledby="wal-verify-h">
        <h2 className="yl-section-title" id="wal-verify-h">{t('wal.lic.verify')}</h2>
        <div className="wal-verify">
          <QrCode text={verifyUrl} label={t('wal.lic.qr')} />
          <div>
            <p>{t('wal.lic.verifyHint')}</p>
            <p><a href={licenseVerifyPath(l.identifier)} target="_blank" rel="noopener" data-testid="wal-verify-link">{t('wal.lic.verifyLink')}<span className="yl-secondary">{t('wal.openInNew')}</span></a></p>
          </div>
        </div>
      </section>
      <section aria-labelledby="wal-auths-h">
        <h2 className="yl-section-title" id="wal-auths-h">{t('wal.lic.auths')}</h2>
        <ProblemAlert error={activity.error} onRetry={activity.reload} />
        <Loading show={activity.loading && !activity.data} />
        {activity.data && <AuthorizationList testId="wal-license-auths" items={activity.data.auths} onChanged={activity.reload} empty={t('wal.lic.authsEmpty')} />}
        {l.status === 'valid' && <AuthorizeForm license={l} onCreated={activity.reload} />}
      </section>
      <section aria-labelledby="wal-uses-h">
        <h2 className="yl-section-title" id="wal-uses-h">{t('wal.lic.uses')}</h2>
        {activity.data && <UseList testId="wal-license-uses" items={activity.data.uses} empty={t('wal.lic.usesEmpty')} />}
      </section>
    </>
  );
}
