// 办事指南: every standard element of an item in a readable mobile layout, and the way to apply.
// BundleGuide: a 一件事一次办 bundle — its member items, one material list, one application.
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../../../api/client';
import { useI18n } from '../../../i18n';
import { useAuth } from '../../../auth/AuthProvider';
import { ProblemAlert, useLoad } from '../../../shell/data';
import { usePageTitle } from '../../../shell/title';
import { DEPTH_KEY, useServiceDivision, type MaterialInfo } from './common';

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return <div><dt>{label}</dt><dd>{children}</dd></div>;
}

export function MaterialsList({ materials }: { materials: MaterialInfo[] }) {
  const { t } = useI18n();
  return (
    <ol className="yl-svc-materials">
      {materials.map((m) => (
        <li key={m.id}>
          <strong>{m.name}</strong> {m.required ? <span className="yl-svc-tag">{t('svc.material.required')}</span> : <span className="yl-svc-tag yl-svc-tag-muted">{t('svc.material.optional')}</span>}
          <div className="yl-secondary">{m.source} · {m.copies > 0 ? t('svc.material.copies', { n: m.copies }) : t('svc.material.electronic')}</div>
          {m.licenseType && <div className="yl-svc-license">{t('svc.material.license')}</div>}
          {m.note && <div>{m.note}</div>}
        </li>
      ))}
    </ol>
  );
}

export default function Guide() {
  const { key = '' } = useParams();
  const { t } = useI18n();
  const auth = useAuth();
  const [division] = useServiceDivision();
  const item = useLoad(() => unwrap(api.GET('/api/services/items/{key}', { params: { path: { key }, query: { division } } })), [key, division]);
  usePageTitle('svc.guide.title');
  const it = item.data;
  return (
    <>
      <p><Link to="/portal/services">{t('svc.back.search')}</Link></p>
      <ProblemAlert error={item.error} onRetry={item.reload} />
      {!it && !item.error && <p role="status">{t('app.loading')}</p>}
      {it && (
        <article>
          <h1 className="yl-page-title">{it.name}</h1>
          <p className="yl-secondary">{t('svc.guide.body', { name: it.department.name })} · {it.itemType} · {it.handling === 'instant' ? t('svc.item.instant') : t('svc.item.promisedKind')}</p>
          <p>
            {auth.status === 'signedIn'
              ? <Link className="yl-svc-cta" to={`/portal/services/apply/${it.key}`}>{t('svc.guide.apply')}</Link>
              : <span>{t('svc.guide.signIn')}</span>}
          </p>
          <section aria-labelledby="g-limits">
            <h2 className="yl-section-title" id="g-limits">{t('svc.guide.limits')}</h2>
            <dl className="yl-svc-facts">
              <Fact label={t('svc.item.legal')}>{t('svc.item.days', { n: it.legalDays })}</Fact>
              <Fact label={t('svc.item.promised')}>{it.handling === 'instant' ? t('svc.item.instant') : t('svc.item.days', { n: it.promisedDays })}</Fact>
              <Fact label={t('svc.item.visits')}>{t('svc.item.visitsN', { n: it.visits })}</Fact>
              <Fact label={t('svc.item.depth')}>{t(DEPTH_KEY[it.onlineDepth] ?? 'svc.depth.0')}</Fact>
            </dl>
            {it.limitNote && <p className="yl-secondary">{it.limitNote}</p>}
          </section>
          <section aria-labelledby="g-cond">
            <h2 className="yl-section-title" id="g-cond">{t('svc.guide.conditions')}</h2>
            <p style={{ whiteSpace: 'pre-line' }}>{it.conditions}</p>
          </section>
          <section aria-labelledby="g-mat">
            <h2 className="yl-section-title" id="g-mat">{t('svc.guide.materials')}</h2>
            <MaterialsList materials={it.materials} />
          </section>
          <section aria-labelledby="g-fees">
            <h2 className="yl-section-title" id="g-fees">{t('svc.guide.fees')}</h2>
            {it.fees.charged
              ? <ul>{it.fees.items.map((f) => <li key={f.name}>{f.name}：¥{f.amount}（{f.basis}）</li>)}</ul>
              : <p>{t('svc.guide.free')}</p>}
          </section>
          <section aria-labelledby="g-where">
            <h2 className="yl-section-title" id="g-where">{t('svc.guide.where')}</h2>
            <dl className="yl-svc-facts yl-svc-facts-wide">
              <Fact label={t('svc.guide.place')}>{it.place}</Fact>
              <Fact label={t('svc.guide.hours')}>{it.hours}</Fact>
              <Fact label={t('svc.guide.consultation')}>{it.consultation}</Fact>
              <Fact label={t('svc.guide.complaint')}>{it.complaint}</Fact>
            </dl>
          </section>
          <section aria-labelledby="g-law">
            <h2 className="yl-section-title" id="g-law">{t('svc.guide.legalBasis')}</h2>
            <ul>{it.legalBasis.map((l) => <li key={l}>{l}</li>)}</ul>
          </section>
          <p className="yl-secondary">{t('svc.guide.codes', { code: it.code, basic: it.basicCode, version: it.version })}</p>
        </article>
      )}
    </>
  );
}

interface BundleView {
  key: string; title: Record<string, string>; description: string | null;
  items: Array<{ key: string; name: string; department: { name: string }; promisedDays: number }>;
  materials: MaterialInfo[];
}

export function BundleGuide() {
  const { key = '' } = useParams();
  const { t, lang } = useI18n();
  const auth = useAuth();
  const [division] = useServiceDivision();
  usePageTitle('svc.bundle.title');
  const b = useLoad(() => unwrap(api.GET('/api/services/bundles/{key}', { params: { path: { key }, query: { division } } })) as unknown as Promise<BundleView>, [key, division]);
  const v = b.data;
  return (
    <>
      <p><Link to="/portal/services">{t('svc.back.search')}</Link></p>
      <ProblemAlert error={b.error} onRetry={b.reload} />
      {!v && !b.error && <p role="status">{t('app.loading')}</p>}
      {v && (
        <article>
          <h1 className="yl-page-title">{v.title[lang] ?? v.title['zh-CN']}</h1>
          {v.description && <p>{v.description}</p>}
          <p>{auth.status === 'signedIn'
            ? <Link className="yl-svc-cta" to={`/portal/services/apply/bundle/${v.key}`}>{t('svc.bundle.apply')}</Link>
            : <span>{t('svc.guide.signIn')}</span>}</p>
          <section aria-labelledby="b-items">
            <h2 className="yl-section-title" id="b-items">{t('svc.bundle.items')}</h2>
            <ol>{v.items.map((i) => <li key={i.key}><Link to={`/portal/services/items/${i.key}`}>{i.name}</Link> <span className="yl-secondary">{i.department.name} · {t('svc.item.days', { n: i.promisedDays })}</span></li>)}</ol>
          </section>
          <section aria-labelledby="b-mat">
            <h2 className="yl-section-title" id="b-mat">{t('svc.guide.materials')}</h2>
            <MaterialsList materials={v.materials} />
          </section>
        </article>
      )}
    </>
  );
}
