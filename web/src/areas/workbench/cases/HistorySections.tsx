// The case's full history (who, on behalf of whom, when, which action, comment, changed fields,
// attachments) and the countersign opinions (each member's vote and opinion; members still to vote).
import { Descriptions, List, Space, Tag, Timeline, Typography } from 'antd';
import { useAuth } from '../../../auth/AuthProvider';
import { TAG } from '../../../shell/theme';
import { useI18n, type I18n } from '../../../i18n';
import type { CaseBundle } from './load';
import type { Actors, HistoryRow } from './types';
import { FileButton } from './ApplicationSections';

/**
 * A readable actor: the user, the applicant, the system, or a colleague by name and department
 * (the case view's `actors`); a short account id only when the server named nobody.
 */
export function useActorName(actors: Actors = {}) {
  const { t } = useI18n();
  const auth = useAuth();
  const me = auth.user?.id ?? '';
  return (actor: string | null, applicant: string | null): string => {
    if (!actor) return '—';
    if (actor === me || actor === `user:${me}` || `user:${actor}` === me) return t('case.actor.me');
    if (applicant && (actor === applicant || `user:${actor}` === applicant)) return t('case.actor.applicant');
    if (actor.startsWith('system:') || actor === 'system') return t('case.actor.system');
    if (actor.startsWith('anonymous:')) return t('case.actor.public');
    const id = actor.replace(/^user:/, '');
    const known = actors[id];
    if (known) return known.department ? t('case.actor.named', { name: known.name, department: known.department }) : known.name;
    return t('case.actor.staff', { id: id.slice(0, 8) });
  };
}

const stateName = (b: CaseBundle, id: string | null, i18n: I18n) => {
  if (!id) return '—';
  const s = b.definition?.states.find((x) => x.id === id);
  return s ? (i18n.lang === 'en' ? (s.name.en ?? s.name['zh-CN']) : s.name['zh-CN']) : id;
};

const value = (v: unknown) => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

function actionName(b: CaseBundle, h: HistoryRow, i18n: I18n): string {
  if (h.kind === 'start') return i18n.t('case.history.start');
  if (h.action) {
    const live = b.view.actions.find((a) => a.id === h.action);
    const def = b.definition?.actions.find((a) => a.id === h.action) as { name?: { 'zh-CN': string; en?: string } } | undefined;
    const n = live?.name ?? (def?.name ? (i18n.lang === 'en' ? (def.name.en ?? def.name['zh-CN']) : def.name['zh-CN']) : h.action);
    return n;
  }
  const k = `case.history.kind.${h.kind}`;
  const known = ['claim', 'release', 'reassign', 'urge', 'supervise', 'notice', 'remind', 'vote', 'action'];
  return known.includes(h.kind) ? i18n.t(k as 'case.history.kind.claim') : h.kind;
}

export function HistoryView({ bundle: b }: { bundle: CaseBundle }) {
  const i18n = useI18n();
  const { t } = i18n;
  const who = useActorName(b.view.actors);
  const rows = [...b.view.history].reverse();
  return (
    <section aria-labelledby="case-history">
      <Typography.Title level={2} id="case-history">{t('case.history')}</Typography.Title>
      <Timeline
          items={rows.map((h, i) => ({
            key: `${h.at}-${i}`,
            children: (
              <div>
                <Space wrap size={4}>
                  <Typography.Text strong>{actionName(b, h, i18n)}</Typography.Text>
                  {typeof h.detail?.vote === 'string' && <Tag color={h.detail.vote === 'approve' ? TAG.ok : TAG.bad}>{t(h.detail.vote === 'approve' ? 'case.vote.approve' : 'case.vote.reject')}</Tag>}
                  <time dateTime={h.at}>{i18n.date(h.at)}</time>
                </Space>
                <div>
                  {t('case.history.by', { who: who(h.actor, b.view.applicant) })}
                  {h.onBehalfOf && <> · {t('case.history.onBehalfOf', { who: who(h.onBehalfOf, b.view.applicant) })}</>}
                  {h.kind === 'reassign' && typeof h.detail?.to === 'string' && <> · {t('case.history.reassignedTo', { who: who(h.detail.to, b.view.applicant) })}</>}
                  {h.from !== h.to && h.to && <> · {t('case.history.move', { from: stateName(b, h.from, i18n), to: stateName(b, h.to, i18n) })}</>}
                </div>
                {h.comment && <blockquote className="yl-case-comment">{h.comment}</blockquote>}
                {h.diff.length > 0 && (
                  <details>
                    <summary>{t('case.history.changed', { n: h.diff.length })}</summary>
                    <ul>{h.diff.map((d, j) => <li key={j}><code>{d.pointer ?? d.path}</code>：{value(d.before)} → {value(d.after)}</li>)}</ul>
                  </details>
                )}
                {h.attachments.length > 0 && <Space wrap>{h.attachments.map((id) => <FileButton key={id} id={id} />)}</Space>}
              </div>
            ),
          }))}
        />
    </section>
  );
}

export function CountersignView({ bundle: b }: { bundle: CaseBundle }) {
  const i18n = useI18n();
  const { t } = i18n;
  const who = useActorName(b.view.actors);
  const votes = b.view.history.filter((h) => typeof h.detail?.vote === 'string');
  const inCountersign = b.view.stateKind === 'countersign';
  const pending = inCountersign ? b.view.tasks.filter((x) => x.status === 'open') : [];
  if (!votes.length && !inCountersign) return null;
  return (
    <section aria-labelledby="case-countersign">
      <Typography.Title level={2} id="case-countersign">{t('case.countersign')}</Typography.Title>
      {votes.length > 0 && (
        <List
          bordered dataSource={votes} rowKey={(h) => `${h.at}-${h.actor}`}
          renderItem={(h) => (
            <List.Item>
              <Descriptions size="small" column={1}>
                <Descriptions.Item label={t('case.countersign.member')}>{who(h.actor, b.view.applicant)}</Descriptions.Item>
                <Descriptions.Item label={t('case.countersign.vote')}><Tag color={h.detail.vote === 'approve' ? TAG.ok : TAG.bad}>{t(h.detail.vote === 'approve' ? 'case.vote.approve' : 'case.vote.reject')}</Tag></Descriptions.Item>
                <Descriptions.Item label={t('case.countersign.opinion')}>{h.comment ?? '—'}</Descriptions.Item>
                <Descriptions.Item label={t('case.countersign.at')}>{i18n.date(h.at)}</Descriptions.Item>
              </Descriptions>
            </List.Item>
          )}
        />
      )}
      {pending.length > 0 && <p>{t('case.countersign.pending', { n: pending.length, roles: pending.map((x) => x.role ?? who(x.assignee, null)).join('、') })}</p>}
    </section>
  );
}
