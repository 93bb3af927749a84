// 提交诉求 — a resident files a request on the web (channel web). Field errors appear next to the
// fields; the draft survives a reload or an expired session; a retry never files it twice.
import { useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Alert, App, Button, Form } from 'antd';
import { errorMessage, showFieldErrors } from '../../../api/problem';
import { useI18n } from '../../../i18n';
import { useDraft } from '../../../shell/draft';
import { usePageTitle } from '../../../shell/title';
import { hl, newKey } from '../../workbench/hotline/api';
import { RequestFields, type RequestValues } from './RequestFields';

export default function NewRequest() {
  const i18n = useI18n();
  const { t } = i18n;
  const { message } = App.useApp();
  const navigate = useNavigate();
  usePageTitle('hl.new.title');
  const [form] = Form.useForm<RequestValues>();
  const draft = useDraft<RequestValues>('hotline.new', form);
  const key = useRef(newKey());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const v = form.getFieldsValue(true) as RequestValues & { location?: { division?: string; address?: string }; caller?: { anonymous?: boolean } };
      const r = await hl.create({
        channel: 'web', demandType: v.demandType, categoryCode: v.categoryCode ?? '', content: v.content ?? '',
        location: { division: v.location?.division ?? '', ...(v.location?.address?.trim() ? { address: v.location.address.trim() } : {}) },
        caller: { anonymous: !!v.caller?.anonymous },
      }, key.current);
      draft.clear();
      void message.success(t('hl.new.done', { number: r.order.number }));
      navigate(`/portal/hotline/orders/${r.order.id}`);
    } catch (err) {
      const rest = showFieldErrors(form, err);
      setError(rest.length ? rest.map((r) => r.message).join('；') : errorMessage(err, i18n));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <p><Link to="/portal/hotline">{t('hl.mine.back')}</Link></p>
      <h1 className="yl-page-title">{t('hl.new.title')}</h1>
      <p className="yl-secondary">{t('hl.new.intro')}</p>
      <Form form={form} layout="vertical" initialValues={{ demandType: '咨询' }} onValuesChange={draft.onValuesChange} onFinish={() => void submit()}>
        <RequestFields withContent idPrefix="hl-new" />
        {error && <Alert type="error" showIcon role="alert" title={error} style={{ marginBottom: 12 }} />}
        <Button type="primary" htmlType="submit" loading={busy}>{t('hl.new.submit')}</Button>
      </Form>
    </>
  );
}
