// Small pieces shared by the hotline screens: the status tag, the time limit, the history timeline
// and the order's facts.
import { Descriptions, Tag } from 'antd';
import { useI18n, type MessageKey } from '../../../i18n';
import { TAG } from '../../../shell/theme';
import type { History, Order } from './api';
import { OPEN } from './api';

const STATUS_COLOR: Record<string, string> = {
  accepted: TAG.info, dispatched: TAG.info, handling: TAG.info, extension: TAG.bad, returned: TAG.bad,
  review: TAG.info, callback: TAG.info, closed: TAG.ok, answered: TAG.ok, refused: TAG.bad, merged: TAG.neutral, transferred: TAG.neutral,
};

export function StatusTag({ status }: { status: string }) {
  const { t } = useI18n();
  return <Tag color={STATUS_COLOR[status] ?? TAG.neutral}>{t(`hl.status.${status}` as MessageKey)}</Tag>;
}

export const isOverdue = (o: Pick<Order, 'dueAt' | 'status'>, now = Date.now()) => !!o.dueAt && OPEN.includes(o.status) && new Date(o.dueAt).getTime() < now;

export function Due({ order }: { order: Order }) {
  const i18n = useI18n();
  if (!order.dueAt) return <>—</>;
  return (
    <span>
      {i18n.date(order.dueAt)}
      {isOverdue(order) && <> <Tag color={TAG.bad}>{i18n.t('hl.overdue')}</Tag></>}
    </span>
  );
}

export function OrderFacts({ order, unitName }: { order: Order; unitName?: string | null }) {
  const i18n = useI18n();
  const { t } = i18n;
  const caller = order.caller.name || order.caller.phone
    ? [order.caller.name, order.caller.phone].filter(Boolean).join(' · ')
    : order.caller.anonymous ? t('hl.anonymous') : '—';
  return (
    <Descriptions bordered size="small" column={{ xs: 1, sm: 1, md: 2 }} items={[
      { key: 'number', label: t('hl.col.number'), children: order.number },
      { key: 'status', label: t('common.status'), children: <StatusTag status={order.status} /> },
      { key: 'type', label: t('hl.field.demandType'), children: order.demandType },
      { key: 'cat', label: t('hl.field.category'), children: order.category.path },
      { key: 'caller', label: t('hl.field.caller'), children: caller },
      { key: 'urgency', label: t('hl.field.urgency'), children: order.urgency === 'urgent' ? t('hl.urgent') : t('hl.normal') },
      { key: 'place', label: t('hl.field.address'), children: `${order.location.division} ${order.location.address ?? ''}` },
      { key: 'due', label: t('hl.col.due'), children: <Due order={order} /> },
      { key: 'unit', label: t('hl.col.unit'), children: unitName ?? '—' },
      { key: 'returns', label: t('hl.returnCount'), children: `${order.returnCount}${order.forced ? ` · ${t('hl.forced')}` : ''}` },
      { key: 'content', label: t('hl.field.content'), span: 2, children: <div style={{ whiteSpace: 'pre-wrap' }}>{order.content}</div> },
      ...(order.reply ? [{ key: 'reply', label: t('hl.reply'), span: 2, children: <div style={{ whiteSpace: 'pre-wrap' }}>{order.reply}</div> }] : []),
      ...(order.satisfaction ? [{ key: 'sat', label: t('hl.satisfaction'), children: t(`hl.sat.${order.satisfaction}` as MessageKey) }] : []),
    ]} />
  );
}

export function Timeline({ history }: { history: History }) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <ol className="hl-timeline">
      {history.steps.map((s, n) => (
        <li key={n}>
          <strong>{t(`hl.action.${s.action ?? 'accept'}` as MessageKey)}</strong>
          <span className="hl-muted"> · {i18n.date(s.at)}</span>
          {s.comment && <div style={{ whiteSpace: 'pre-wrap' }}>{s.comment}</div>}
        </li>
      ))}
    </ol>
  );
}
