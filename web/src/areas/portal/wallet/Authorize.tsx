// 生成用证码: the holder lets a division (昆明市 or one of its counties) use a valid license for a
// stated purpose until a chosen day. The code is shown once, large and spaced for reading aloud at
// a window; server field errors land at their fields (/body/purpose, /body/division, /body/expiresAt).
import { useState } from 'react';
import { Button, Form, Input, Radio } from 'antd';
import { api, unwrap } from '../../../api/client';
import { errorMessage, showFieldErrors } from '../../../api/problem';
import { useI18n } from '../../../i18n';
import { DivisionPicker } from '../services/common';
import type { License } from './data';

const DAYS = [1, 7, 30, 90];

interface Values { division: string; purpose: string; expiresAt: number }

export function AuthorizeForm({ license, onCreated }: { license: License; onCreated(): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [form] = Form.useForm<Values>();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>();
  const [issued, setIssued] = useState<{ code: string; expiresAt: string } | null>(null);
  const submit = async (v: Values) => {
    setBusy(true);
    setProblem(undefined);
    try {
      const r = await unwrap(api.POST('/api/licenses/{identifier}/authorizations', {
        params: { path: { identifier: license.identifier } },
        body: { division: v.division, purpose: v.purpose.trim(), expiresAt: new Date(Date.now() + v.expiresAt * 86400_000).toISOString() },
      }));
      setIssued({ code: r.code, expiresAt: r.expiresAt });
      setOpen(false);
      form.resetFields();
      onCreated();
    } catch (err) {
      if (showFieldErrors(form, err).length > 0 || !(err as { problem?: { errors?: unknown[] } }).problem?.errors?.length) setProblem(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      <div aria-live="polite">
        {issued && (
          <div className="wal-code" data-testid="wal-new-code">
            <p>{t('wal.grant.issued')}</p>
            <p className="wal-code-value" lang="en">{issued.code}</p>
            <p>{t('wal.grant.once', { until: i18n.date(issued.expiresAt) })}</p>
          </div>
        )}
      </div>
      {!open && <Button size="large" onClick={() => { setOpen(true); setIssued(null); }}>{t('wal.grant.open')}</Button>}
      {open && (
        <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ division: license.division, expiresAt: 7 }} data-testid="wal-grant-form"
          requiredMark={false} style={{ maxWidth: 520 }}>
          <p className="yl-secondary">{t('wal.grant.intro')}</p>
          <Form.Item name="division" label={t('wal.auth.grantee')} htmlFor="wal-grant-division" rules={[{ required: true, message: t('wal.grant.divisionRequired') }]}>
            <DivisionPicker id="wal-grant-division" value={license.division} onChange={() => {}} />
          </Form.Item>
          <Form.Item name="purpose" label={t('wal.auth.purpose')} htmlFor="wal-grant-purpose" rules={[{ required: true, whitespace: true, message: t('wal.grant.purposeRequired') }, { max: 200, message: t('wal.grant.purposeLong') }]}>
            <Input id="wal-grant-purpose" size="large" maxLength={200} placeholder={t('wal.grant.purposeHint')} />
          </Form.Item>
          <fieldset className="wal-fieldset">
            <legend>{t('wal.grant.days')}</legend>
            <Form.Item name="expiresAt">
              <Radio.Group options={DAYS.map((d) => ({ value: d, label: t('wal.grant.daysN', { n: d }) }))} />
            </Form.Item>
          </fieldset>
          {problem !== undefined && <p className="wal-error" role="alert">{errorMessage(problem, i18n)}</p>}
          <div className="wal-actions">
            <Button type="primary" size="large" htmlType="submit" loading={busy}>{t('wal.grant.submit')}</Button>
            <Button size="large" onClick={() => { setOpen(false); setProblem(undefined); }}>{t('common.cancel')}</Button>
          </div>
        </Form>
      )}
    </div>
  );
}
