// The open tasks of the current step and what can be done with them: claim (from the queue),
// release (back to the queue), reassign (the assignee or a supervisor, to a colleague picked by
// name from the server's list of those the task may go to).
import { useState } from 'react';
import { App, Button, List, Space, Tag, Typography } from 'antd';
import { api, unwrap } from '../../../api/client';
import { errorMessage } from '../../../api/problem';
import { useAuth } from '../../../auth/AuthProvider';
import { TAG } from '../../../shell/theme';
import { useI18n } from '../../../i18n';
import type { CaseTask, CaseView } from './types';
import { useActorName } from './HistorySections';
import { ReassignForm } from './ReassignForm';

export function TaskControls({ view, onChanged }: { view: CaseView; onChanged(): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const auth = useAuth();
  const { message } = App.useApp();
  const who = useActorName(view.actors);
  const [busy, setBusy] = useState<string | null>(null);
  const [reassigning, setReassigning] = useState<string | null>(null);
  const me = (auth.user?.id ?? '').replace(/^user:/, '');
  const open = view.tasks.filter((x) => x.status === 'open');
  if (!open.length) return null;

  const run = async (task: CaseTask, op: 'claim' | 'release') => {
    setBusy(`${task.id}:${op}`);
    try {
      await unwrap(api.POST(`/api/workflow/tasks/{id}/${op}`, { params: { path: { id: task.id } } }));
      void message.success(t(`case.task.done.${op}`));
      onChanged();
    } catch (err) {
      void message.error(errorMessage(err, i18n));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section aria-labelledby="case-tasks">
      <Typography.Title level={2} id="case-tasks">{t('case.tasks')}</Typography.Title>
      <List
        bordered dataSource={open} rowKey="id"
        renderItem={(task) => (
          <List.Item>
            <Space direction="vertical" style={{ width: '100%' }}>
              <Space wrap>
                <span>{t('case.task.owner', { owner: task.assignee ? who(task.assignee, null) : t('case.task.queue', { role: task.role ?? '—' }) })}</span>
                {task.dueAt && <span>{t('case.task.due', { at: i18n.date(task.dueAt) })}</span>}
                {task.escalation && <Tag color={TAG.bad}>{t(`case.escalation.${task.escalation}` as 'case.escalation.urge')}</Tag>}
                {task.supervised && <Tag color={TAG.bad}>{t('case.task.supervised')}</Tag>}
              </Space>
              <Space wrap>
                {!task.assignee && auth.can('workflow:task.act') && (
                  <Button loading={busy === `${task.id}:claim`} onClick={() => void run(task, 'claim')}>{t('case.task.claim')}</Button>
                )}
                {task.assignee === me && <Button loading={busy === `${task.id}:release`} onClick={() => void run(task, 'release')}>{t('case.task.release')}</Button>}
                {(task.assignee === me || auth.can('workflow:task.supervise')) && (
                  <Button aria-expanded={reassigning === task.id} onClick={() => setReassigning(reassigning === task.id ? null : task.id)}>{t('case.task.reassign')}</Button>
                )}
              </Space>
              {reassigning === task.id && (
                <ReassignForm task={task} onDone={() => { setReassigning(null); onChanged(); }} />
              )}
            </Space>
          </List.Item>
        )}
      />
    </section>
  );
}
