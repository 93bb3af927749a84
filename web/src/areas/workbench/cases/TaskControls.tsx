// The open tasks of the current step and what can be done with them: claim (from the queue),
// release (back to the queue), reassign (the assignee or a supervisor, to a colleague's account).
import { useState } from 'react';
import { App, Button, Form, Input, List, Space, Tag, Typography } from 'antd';
import { api, unwrap } from '../../../api/client';
import { errorMessage, showFieldErrors } from '../../../api/problem';
import { useAuth } from '../../../auth/AuthProvider';
import { TAG } from '../../../shell/theme';
import { useI18n } from '../../../i18n';
import type { CaseTask, CaseView } from './types';
import { useActorName } from './HistorySections';

type Op = 'claim' | 'release' | 'reassign';

export function TaskControls({ view, onChanged }: { view: CaseView; onChanged(): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const auth = useAuth();
  const { message } = App.useApp();
  const who = useActorName();
  const [busy, setBusy] = useState<string | null>(null);
  const [reassigning, setReassigning] = useState<string | null>(null);
  const [form] = Form.useForm<{ to: string }>();
  const me = (auth.user?.id ?? '').replace(/^user:/, '');
  const open = view.tasks.filter((x) => x.status === 'open');
  if (!open.length) return null;

  const run = async (task: CaseTask, op: Op, to?: string) => {
    setBusy(`${task.id}:${op}`);
    try {
      if (op === 'reassign') await unwrap(api.POST('/api/workflow/tasks/{id}/reassign', { params: { path: { id: task.id } }, body: { to: to! } }));
      else await unwrap(api.POST(`/api/workflow/tasks/{id}/${op}`, { params: { path: { id: task.id } } }));
      void message.success(t(`case.task.done.${op}`));
      setReassigning(null);
      form.resetFields();
      onChanged();
    } catch (err) {
      if (op === 'reassign') showFieldErrors(form, err);
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
                <Form form={form} layout="vertical" onFinish={(v) => void run(task, 'reassign', v.to.trim())} style={{ maxWidth: 480 }}>
                  <Form.Item name="to" label={t('case.task.reassignTo')} extra={t('case.task.reassignHint')}
                    rules={[{ required: true, message: t('case.required') }, { pattern: /^\s*[0-9a-f-]{36}\s*$/i, message: t('case.task.reassignBad') }]}>
                    <Input autoComplete="off" spellCheck={false} />
                  </Form.Item>
                  <Button type="primary" htmlType="submit" loading={busy === `${task.id}:reassign`}>{t('case.task.reassignSubmit')}</Button>
                </Form>
              )}
            </Space>
          </List.Item>
        )}
      />
    </section>
  );
}
