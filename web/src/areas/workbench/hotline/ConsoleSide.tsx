// The operator console's side panels: caller history (earlier orders of the number just typed),
// knowledge suggestions while the request is typed (one key answers from an entry: 即时办结), and
// the duplicate warning (same caller / place / topic). Each result is announced (aria-live).
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { Button, Tag } from 'antd';
import { errorMessage } from '../../../api/problem';
import { useI18n } from '../../../i18n';
import { hl, type Duplicate, type KbHit } from './api';
import { StatusTag } from './parts';

/** The value after the user stopped typing for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const h = setTimeout(() => setV(value), ms);
    return () => clearTimeout(h);
  }, [value, ms]);
  return v;
}

const PHONE_LIKE = /^(1\d{10}|0\d{2,3}-?\d{7,8})$/;

export function CallerHistory({ phone }: { phone: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const p = useDebounced(phone.replace(/\s/g, ''), 300);
  const [state, setState] = useState<{ items?: Awaited<ReturnType<typeof hl.callerHistory>>['items']; error?: string }>({});
  useEffect(() => {
    if (!PHONE_LIKE.test(p)) return setState({});
    let live = true;
    hl.callerHistory(p).then((r) => live && setState({ items: r.items }), (e: unknown) => live && setState({ error: errorMessage(e, i18n) }));
    return () => { live = false; };
  }, [p, i18n]);
  return (
    <section aria-labelledby="hl-history" className="hl-panel">
      <h2 id="hl-history" className="yl-section-title">{t('hl.console.history')}</h2>
      <div aria-live="polite" data-testid="caller-history">
        {!state.items && !state.error && <p className="hl-muted">{t('hl.console.historyHint')}</p>}
        {state.error && <p role="alert">{state.error}</p>}
        {state.items && (state.items.length === 0
          ? <p>{t('hl.console.historyNone')}</p>
          : (
            <>
              <p>{t('hl.console.historyCount', { n: state.items.length })}</p>
              <ul className="hl-list">
                {state.items.map((o) => (
                  <li key={o.id}>
                    <Link to={`/workbench/hotline/orders/${o.id}`}>{o.number}</Link> <StatusTag status={o.status} />
                    <div>{o.title}</div>
                    <div className="hl-muted">{o.categoryPath} · {i18n.date(o.createdAt)}</div>
                  </li>
                ))}
              </ul>
            </>
          ))}
      </div>
    </section>
  );
}

export function KbSuggestions({ text, onAnswer, busy }: { text: string; onAnswer(hit: KbHit): void; busy: string | null }) {
  const i18n = useI18n();
  const { t } = i18n;
  const q = useDebounced(text.trim().slice(0, 200), 300);
  const [state, setState] = useState<{ items?: KbHit[]; error?: string }>({});
  useEffect(() => {
    if (Array.from(q).length < 2) return setState({});
    let live = true;
    hl.kbSuggest(q).then((r) => live && setState({ items: r.items }), (e: unknown) => live && setState({ error: errorMessage(e, i18n) }));
    return () => { live = false; };
  }, [q, i18n]);
  return (
    <section aria-labelledby="hl-kb" className="hl-panel" id="hl-kb-panel" tabIndex={-1}>
      <h2 id="hl-kb" className="yl-section-title">{t('hl.console.kb')}</h2>
      <div aria-live="polite" data-testid="kb-suggestions">
        {!state.items && !state.error && <p className="hl-muted">{t('hl.console.kbHint')}</p>}
        {state.error && <p role="alert">{state.error}</p>}
        {state.items?.length === 0 && <p>{t('hl.console.kbNone')}</p>}
        {!!state.items?.length && (
          <ol className="hl-list">
            {state.items.map((k, n) => (
              <li key={k.id}>
                {/* The server escapes the text and adds only <em> around the hits. */}
                <span dangerouslySetInnerHTML={{ __html: k.titleHighlight }} /> <Tag>{k.kind}</Tag>
                <div>
                  <Button size="small" className="hl-kb-answer" loading={busy === k.id} onClick={() => onAnswer(k)} aria-keyshortcuts={n === 0 ? 'Alt+A' : undefined}>
                    {t('hl.console.answerWith')}
                  </Button>
                </div>
              </li>
            ))}
          </ol>
        )}
      </div>
    </section>
  );
}

export function Duplicates({ check }: { check: { phone?: string; division: string; categoryCode: string; text: string } | null }) {
  const { t } = useI18n();
  const key = useDebounced(check ? JSON.stringify(check) : '', 600);
  const [items, setItems] = useState<Duplicate[]>([]);
  useEffect(() => {
    if (!key) return setItems([]);
    let live = true;
    hl.duplicates(JSON.parse(key) as NonNullable<typeof check>).then((r) => live && setItems(r.items), () => live && setItems([]));
    return () => { live = false; };
  }, [key]);
  return (
    <section aria-labelledby="hl-dup" className="hl-panel">
      <h2 id="hl-dup" className="yl-section-title">{t('hl.console.duplicates')}</h2>
      <div aria-live="polite" data-testid="duplicates">
        {items.length === 0 ? <p className="hl-muted">{t('hl.console.duplicatesNone')}</p> : (
          <div role="alert" className="hl-warn">
            <p>{t('hl.console.duplicatesFound', { n: items.length })}</p>
            <ul className="hl-list">
              {items.map((d) => (
                <li key={d.id}>
                  <Link to={`/workbench/hotline/orders/${d.id}`}>{d.number}</Link>{' '}
                  {t('hl.console.similarity', { pct: Math.round(d.similarity * 100) })}{d.sameCaller ? ` · ${t('hl.console.sameCaller')}` : ''}
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </section>
  );
}
