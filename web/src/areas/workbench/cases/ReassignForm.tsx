// 改派: pick a colleague by name (and department) from the server's list of those the task may
// go to — the same rule the reassign itself checks — searchable by typing, usable by keyboard.
import { useCallback, useEffect, useRef, useState } from 'react';
import { App, Button, Form, Select } from 'antd';
import { api, unwrap } from '../../../api/client';
import { errorMessage, showFieldErrors } from '../../../api/problem';
import { useI18n } from '../../../i18n';
import type { CaseTask } from './types';

interface Colleague { id: string; name: string; department: string | null }

export function ReassignForm({ task, onDone }: { task: CaseTask; onDone(): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { message } = App.useApp();
  const [form] = Form.useForm<{ to: string }>();
  const [options, setOptions] = useState<Colleague[]>([]);
  const [loading, setLoading] = useState(false);
  const [busy, setBusy] = useState(false);
  // Only the answer to the latest search is shown (typing fires one request per keystroke).
  const latest = useRef(0);

  const search = useCallback(async (q: string) => {
    const n = ++latest.current;
    setLoading(true);
    try {
      const query = q.trim() ? { q: q.trim().slice(0, 50) } : {};
      const r = await unwrap(api.GET('/api/workflow/tasks/{id}/candidates', { params: { path: { id: task.id }, query } }));
      if (n === latest.current) setOptions(r.items);
    } catch (err) {
      if (n === latest.current) {
        setOptions([]);
        form.setFields([{ name: 'to', errors: [errorMessage(err, i18n)] }]);
      }
    } finally {
      if (n === latest.current) setLoading(false);
    }
  }, [task.id, form, i18n]);

  useEffect(() => { void search(''); }, [search]);

  const submit = async ({ to }: { to: string }) => {
    setBusy(true);
    try {
      await unwrap(api.POST('/api/workflow/tasks/{id}/reassign', { params: { path: { id: task.id } }, body: { to } }));
      void message.success(t('case.task.done.reassign'));
      form.resetFields();
      onDone();
    } catch (err) {
      showFieldErrors(form, err);
      void message.error(errorMessage(err, i18n));
    } finally {
      setBusy(false);
    }
  };

  const label = (c: Colleague) => (c.department ? t('case.actor.named', { name: c.name, department: c.department }) : c.name);
  return (
    <Form form={form} name={`reassign-${task.id}`} layout="vertical" onFinish={(v) => void submit(v)} style={{ maxWidth: 480 }}>
      <Form.Item name="to" label={t('case.task.reassignTo')} extra={t('case.task.reassignHint')} rules={[{ required: true, message: t('case.task.reassignPick') }]}>
        <Select
          showSearch filterOption={false} onSearch={(q) => void search(q)} loading={loading}
          placeholder={t('case.task.reassignPlaceholder')}
          notFoundContent={loading ? t('app.loading') : t('case.task.reassignNone')}
          options={options.map((c) => ({ value: c.id, label: label(c) }))}
        />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy}>{t('case.task.reassignSubmit')}</Button>
    </Form>
  );
}
