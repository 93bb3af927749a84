// 事项搜索: full-text search (jieba on the server), browse by life event (个人) or enterprise
// lifecycle stage (法人), 一件事一次办 bundles, and result cards with the online depth, the promised
// days and the visits needed. The query, the audience and the event are in the URL (shareable, back works).
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Button, Input, Pagination, Radio } from 'antd';
import { api, unwrap } from '../../../api/client';
import { useI18n } from '../../../i18n';
import { ProblemAlert, useLoad } from '../../../shell/data';
import { usePageTitle } from '../../../shell/title';
import { DEPTH_KEY, DivisionPicker, useServiceDivision } from './common';

const PAGE_SIZE = 10;
type Audience = 'citizen' | 'enterprise';

export default function Search() {
  const i18n = useI18n();
  const { t, lang } = i18n;
  usePageTitle('svc.search.title');
  const [params, setParams] = useSearchParams();
  const [division, setDivision] = useServiceDivision();
  const q = params.get('q') ?? '';
  const event = params.get('event') ?? '';
  const audience = (params.get('audience') as Audience | null) ?? 'citizen';
  const page = Number(params.get('page') ?? '1') || 1;
  const [text, setText] = useState(q);

  const set = (next: Record<string, string | null>) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) (v ? p.set(k, v) : p.delete(k));
    if (!('page' in next)) p.delete('page');
    setParams(p);
  };
  const events = useLoad(() => unwrap(api.GET('/api/services/life-events')), []);
  const bundles = useLoad(() => unwrap(api.GET('/api/services/bundles')) as unknown as Promise<{ items: Array<{ key: string; title: Record<string, string>; description: string | null; lifeEvent: string | null; items: string[] }> }>, []);
  const items = useLoad(() => unwrap(api.GET('/api/services/items', { params: { query: { division, page, pageSize: PAGE_SIZE, ...(q ? { q } : {}), ...(event ? { lifeEvent: event } : {}) } } })), [division, q, event, page]);
  const shownEvents = (events.data?.items ?? []).filter((e) => e.audience === audience || (audience === 'citizen' ? e.audience === 'person' : e.audience === 'legal'));
  const eventName = (key: string) => { const e = events.data?.items.find((x) => x.key === key); return e ? (lang === 'en' ? e.en : e.zh) : key; };
  const shownBundles = (bundles.data?.items ?? []).filter((b) => !q && (!event || b.lifeEvent === event) && (!b.lifeEvent || shownEvents.some((e) => e.key === b.lifeEvent)));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    set({ q: text.trim() || null, event: null });
  };

  return (
    <>
      <h1 className="yl-page-title">{t('svc.search.title')}</h1>
      <form role="search" onSubmit={submit} className="yl-svc-search">
        <label htmlFor="svc-q" className="yl-svc-label">{t('svc.search.label')}</label>
        <div className="yl-svc-searchrow">
          <Input id="svc-q" type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder={t('svc.search.placeholder')} />
          <Button type="primary" htmlType="submit">{t('svc.search.submit')}</Button>
        </div>
      </form>
      <div className="yl-svc-filters">
        <label htmlFor="svc-division" className="yl-svc-label">{t('svc.division')}</label>
        <DivisionPicker id="svc-division" value={division} onChange={(d) => { setDivision(d); set({}); }} />
        <Radio.Group aria-label={t('svc.audience')} value={audience} optionType="button" buttonStyle="solid"
          onChange={(e) => set({ audience: e.target.value as string, event: null })}
          options={[{ value: 'citizen', label: t('svc.audience.citizen') }, { value: 'enterprise', label: t('svc.audience.enterprise') }]} />
      </div>
      <section aria-labelledby="svc-events">
        <h2 className="yl-section-title" id="svc-events">{audience === 'citizen' ? t('svc.events.citizen') : t('svc.events.enterprise')}</h2>
        <ProblemAlert error={events.error} onRetry={events.reload} />
        <ul className="yl-svc-chips">
          {shownEvents.map((e) => (
            <li key={e.key}>
              <Button type={event === e.key ? 'primary' : 'default'} aria-pressed={event === e.key} onClick={() => set({ event: event === e.key ? null : e.key, q: null })}>
                {lang === 'en' ? e.en : e.zh}
              </Button>
            </li>
          ))}
        </ul>
      </section>
      {shownBundles.length > 0 && (
        <section aria-labelledby="svc-bundles">
          <h2 className="yl-section-title" id="svc-bundles">{t('svc.bundles')}</h2>
          <ul className="yl-cards" style={{ listStyle: 'none', padding: 0 }}>
            {shownBundles.map((b) => (
              <li key={b.key} className="yl-card">
                <h3><Link to={`/portal/services/bundles/${b.key}`}>{b.title[lang] ?? b.title['zh-CN']}</Link></h3>
                <p className="yl-secondary">{t('svc.bundle.members', { n: b.items.length })}</p>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="svc-results">
        <h2 className="yl-section-title" id="svc-results">
          {q ? t('svc.results.for', { q }) : event ? t('svc.results.event', { event: eventName(event) }) : t('svc.results.all')}
        </h2>
        <ProblemAlert error={items.error} onRetry={items.reload} />
        <p role="status" aria-live="polite">{items.loading ? t('app.loading') : items.data ? t('common.total', { n: items.data.total }) : ''}</p>
        <ul className="yl-svc-results" style={{ listStyle: 'none', padding: 0 }}>
          {items.data?.items.map((it) => (
            <li key={it.id} className="yl-card yl-svc-item">
              <h3><Link to={`/portal/services/items/${it.key}`}>{it.name}</Link></h3>
              <p className="yl-secondary">{it.department.name} · {it.itemType}</p>
              <dl className="yl-svc-facts">
                <div><dt>{t('svc.item.depth')}</dt><dd>{t(DEPTH_KEY[it.onlineDepth] ?? 'svc.depth.0')}</dd></div>
                <div><dt>{t('svc.item.promised')}</dt><dd>{it.handling === 'instant' ? t('svc.item.instant') : t('svc.item.days', { n: it.promisedDays })}</dd></div>
                <div><dt>{t('svc.item.visits')}</dt><dd>{t('svc.item.visitsN', { n: it.visits })}</dd></div>
              </dl>
            </li>
          ))}
        </ul>
        {items.data && items.data.total > PAGE_SIZE && (
          <Pagination current={page} pageSize={PAGE_SIZE} total={items.data.total} showSizeChanger={false} simple
            onChange={(p) => set({ page: String(p) })} />
        )}
      </section>
    </>
  );
}
