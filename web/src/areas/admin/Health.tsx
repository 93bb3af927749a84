// 运行状态: liveness and version (/healthz), readiness (/readyz) and a summary of /metrics.
import { Button, Card, Descriptions, Statistic, Tag, Typography } from 'antd';
import { api, unwrap } from '../../api/client';
import { ApiError } from '../../api/problem';
import { useI18n } from '../../i18n';
import { ProblemAlert, useLoad } from '../../shell/data';
import { METRICS, parseMetrics } from './metrics';
import { TAG } from '../../shell/theme';

async function loadHealth() {
  const [health, ready, metrics] = await Promise.all([
    unwrap(api.GET('/healthz')),
    fetch('/readyz', { credentials: 'omit' }).then(async (r) => ({ ready: r.ok, checks: ((await r.json()) as { checks?: Record<string, string> }).checks ?? {} })),
    fetch('/metrics', { credentials: 'omit' }).then(async (r) => {
      if (!r.ok) throw new ApiError('server', r.status);
      return parseMetrics(await r.text());
    }),
  ]);
  return { health, ready, metrics };
}

export default function Health() {
  const i18n = useI18n();
  const { t } = i18n;
  const h = useLoad(loadHealth, []);
  const m = h.data?.metrics;
  const num = (k: keyof typeof METRICS) => m?.get(METRICS[k]) ?? 0;
  const uptime = m?.has(METRICS.started) ? Math.max(0, Date.now() / 1000 - num('started')) : null;
  return (
    <>
      <Typography.Title level={1}>{t('admin.health')}</Typography.Title>
      <Button onClick={h.reload} loading={h.loading} style={{ marginBottom: 16 }}>{t('common.refresh')}</Button>
      <ProblemAlert error={h.error} onRetry={h.reload} />
      {h.data && (
        <>
          <Descriptions bordered column={1} size="small" style={{ marginBottom: 16 }}>
            <Descriptions.Item label={t('common.status')}>
              <Tag color={h.data.ready.ready ? TAG.ok : TAG.bad}>{h.data.ready.ready ? t('health.ready') : t('health.notReady')}</Tag>
              {Object.entries(h.data.ready.checks).map(([k, v]) => <span key={k}>{k}: {v} </span>)}
            </Descriptions.Item>
            <Descriptions.Item label={t('health.version')}>{h.data.health.version}</Descriptions.Item>
            <Descriptions.Item label={t('health.database')}>{h.data.health.db}</Descriptions.Item>
            <Descriptions.Item label={t('health.migrations', { applied: h.data.health.migrations.applied, pending: h.data.health.migrations.pending })}>{h.data.health.migrations.latest ?? '—'}</Descriptions.Item>
          </Descriptions>
          <div className="yl-cards">
            <Card size="small"><Statistic title={t('health.memory')} value={i18n.number(num('memory') / 1048576, { maximumFractionDigits: 0 })} suffix="MiB" /></Card>
            <Card size="small"><Statistic title={t('health.requests')} value={i18n.number(num('requests'))} /></Card>
            <Card size="small"><Statistic title={t('health.outboxPending')} value={i18n.number(num('outboxPending'))} /></Card>
            <Card size="small"><Statistic title={t('health.outboxLag')} value={i18n.number(num('outboxLag'), { maximumFractionDigits: 1 })} /></Card>
            <Card size="small"><Statistic title={t('health.jobsDue')} value={i18n.number(num('jobsDue'))} /></Card>
            <Card size="small"><Statistic title={t('health.auditUnsealed')} value={i18n.number(num('auditUnsealed'))} /></Card>
            {uptime !== null && <Card size="small"><Statistic title={t('health.uptime')} value={i18n.number(uptime / 3600, { maximumFractionDigits: 1 })} suffix="h" /></Card>}
          </div>
        </>
      )}
    </>
  );
}
