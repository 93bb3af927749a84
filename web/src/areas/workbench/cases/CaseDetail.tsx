// 办件详情 (/workbench/cases/:caseId — the workflow case id, which every inbox task carries; a 办件
// is found from its case): header with the deadline, the application's form data with field titles,
// materials, countersign opinions, the full history, and every action the server allows this user.
import { App, Descriptions, Space, Tag, Typography } from 'antd';
import { Link, useParams } from 'react-router';
import { TAG } from '../../../shell/theme';
import { useI18n } from '../../../i18n';
import { ProblemAlert, useLoad } from '../../../shell/data';
import { usePageTitle } from '../../../shell/title';
import { Notice } from '../../../shell/Notice';
import { toApiError } from '../../../api/problem';
import { loadCase, type CaseBundle } from './load';
import { maskName } from './types';
import { FormDataView, MaterialsView, ResultView } from './ApplicationSections';
import { CountersignView, HistoryView } from './HistorySections';
import { ActionPanel } from './ActionPanel';
import { TaskControls } from './TaskControls';

export default function CaseDetailPage() {
  return <App><CaseDetail /></App>;
}

function CaseDetail() {
  const { t } = useI18n();
  const { caseId = '' } = useParams();
  usePageTitle('case.detail.title');
  const c = useLoad(() => loadCase(caseId), [caseId]);
  const back = <Link to="/workbench/cases">{t('case.backToList')}</Link>;
  if (c.error && toApiError(c.error).kind === 'notFound') {
    return (
      <Notice tone="warning" title={t('case.notFound')} extra={back} />
    );
  }
  const b = c.data;
  return (
    <>
      <Typography.Title level={1}>{b ? t('case.detail.heading', { number: b.view.number ?? b.view.id.slice(0, 8) }) : t('case.detail.title')}</Typography.Title>
      <p>{back}</p>
      <ProblemAlert error={c.error} onRetry={c.reload} />
      <div aria-live="polite" aria-busy={c.loading}>{c.loading && !b ? <p role="status">{t('app.loading')}</p> : null}</div>
      {b && (
        <>
          <CaseHeader b={b} />
          <TaskControls view={b.view} onChanged={c.reload} />
          <ActionPanel bundle={b} onDone={c.reload} />
          {b.application && (
            <>
              <FormDataView data={b.application.data} form={b.form} />
              <MaterialsView application={b.application} materials={b.materials} />
              <ResultView application={b.application} />
            </>
          )}
          <CountersignView bundle={b} />
          <HistoryView bundle={b} />
        </>
      )}
    </>
  );
}

function applicantName(b: CaseBundle): string | null {
  const d = (b.application?.data ?? b.view.data) as Record<string, any>;
  const name = d?.applicant?.name ?? d?.enterprise?.name ?? d?.company?.name ?? d?.applicantName;
  return typeof name === 'string' && name ? maskName(name) : null;
}

function Deadline({ b }: { b: CaseBundle }) {
  const i18n = useI18n();
  const { t } = i18n;
  const v = b.view;
  if (v.status === 'completed') return <Tag>{t('case.deadline.done')}</Tag>;
  // While 补正 pauses the clock the engine holds no due date: it moves by the days spent paused.
  if (v.paused && !v.dueAt) return <Tag color={TAG.info}>{t('case.deadline.paused')}</Tag>;
  if (!v.dueAt) return <>{t('case.deadline.none')}</>;
  const overdue = new Date(v.dueAt) < new Date();
  return (
    <Space wrap size={4}>
      <span>{i18n.date(v.dueAt)}</span>
      {v.paused && <Tag color={TAG.info}>{t('case.deadline.paused')}</Tag>}
      {!v.paused && overdue && <Tag color={TAG.bad}>{b.workingDaysLeft !== null && b.workingDaysLeft < 0 ? t('case.deadline.overdueBy', { n: -b.workingDaysLeft }) : t('case.deadline.overdue')}</Tag>}
      {!v.paused && !overdue && b.workingDaysLeft !== null && <Tag color={b.workingDaysLeft <= 1 ? TAG.bad : TAG.ok}>{t('case.deadline.left', { n: b.workingDaysLeft })}</Tag>}
    </Space>
  );
}

function CaseHeader({ b }: { b: CaseBundle }) {
  const i18n = useI18n();
  const { t } = i18n;
  const v = b.view;
  const a = b.application;
  const name = applicantName(b);
  return (
    <section aria-labelledby="case-summary">
      <Typography.Title level={2} id="case-summary">{t('case.summary')}</Typography.Title>
      <Descriptions bordered size="small" column={{ xs: 1, sm: 1, md: 2 }}>
        <Descriptions.Item label={t('case.number')}>{v.number ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('case.item')}>{a?.itemName ?? v.title}</Descriptions.Item>
        <Descriptions.Item label={t('case.applicant')}>{name ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('case.division')}>
          {a && a.division !== a.handlingDivision ? t('case.divisionSplit', { accepting: a.division, handling: a.handlingDivision }) : v.division}
        </Descriptions.Item>
        <Descriptions.Item label={t('case.state')}><Tag color={v.status === 'completed' ? TAG.neutral : TAG.info}>{v.stateName}</Tag></Descriptions.Item>
        {a && <Descriptions.Item label={t('case.channel')}>{t(a.channel === 'counter' ? 'case.channel.counter' : 'case.channel.online')}</Descriptions.Item>}
        {a && <Descriptions.Item label={t('case.submittedAt')}>{i18n.date(a.submittedAt)}</Descriptions.Item>}
        <Descriptions.Item label={t('case.deadline')}><Deadline b={b} /></Descriptions.Item>
      </Descriptions>
    </section>
  );
}
