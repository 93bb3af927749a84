// The lifecycle steps as small forms, each shown only when the order's state and the user's role
// allow it: dispatch (with the suggested units), the unit's sign-for / reply / return / extension,
// and the hotline's return arbitration, extension decision, review and callback. The server's
// field errors appear next to the fields; what was typed stays until the step succeeds.
import { useState, type ReactNode } from 'react';
import { Alert, Button, Checkbox, Form, Input, InputNumber, Radio, Select } from 'antd';
import { errorMessage, showFieldErrors } from '../../../api/problem';
import { useAuth } from '../../../auth/AuthProvider';
import { useI18n } from '../../../i18n';
import { useLoad } from '../../../shell/data';
import { hl, type Order } from './api';

/** One step as a form: posts its values, shows field errors in place and the rest above the button. */
function StepForm({ order, action, title, submit, onDone, children, initial, danger }: {
  order: Order; action: string; title: string; submit: string; onDone(o: Order): void; children?: ReactNode;
  initial?: Record<string, unknown>; danger?: boolean;
}) {
  const i18n = useI18n();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const finish = async (values: Record<string, unknown>) => {
    setBusy(true);
    setError(null);
    try {
      onDone(await hl.step(order.id, action, values));
    } catch (err) {
      const rest = showFieldErrors(form, err);
      setError(rest.length ? rest.map((r) => r.message).join('；') : errorMessage(err, i18n));
    } finally {
      setBusy(false);
    }
  };
  const id = `hl-step-${action}`;
  return (
    <section aria-labelledby={id} className="hl-step">
      <h3 id={id}>{title}</h3>
      <Form form={form} layout="vertical" initialValues={initial} onFinish={(v) => void finish(v as Record<string, unknown>)}>
        {children}
        {error && <Alert type="error" showIcon role="alert" title={error} style={{ marginBottom: 12 }} />}
        {/* The name stays the step's name while it runs (antd's loading icon would prefix "loading"). */}
        <Button type="primary" danger={danger} htmlType="submit" loading={busy} aria-label={submit} aria-busy={busy}>{submit}</Button>
      </Form>
    </section>
  );
}

export function DispatchPanel({ order, onDone }: { order: Order; onDone(o: Order): void }) {
  const { t } = useI18n();
  const sugg = useLoad(() => hl.suggestions(order.id), [order.id]);
  const units = useLoad(() => hl.units(), []);
  const first = sugg.data?.items[0]?.departmentId;
  const options = [
    ...(sugg.data?.items ?? []).map((s) => ({ value: s.departmentId, label: `${s.name}（${t(s.source === 'rule' ? 'hl.dispatch.rule' : 'hl.dispatch.model')}${s.probability !== null ? ` ${Math.round(s.probability * 100)}%` : ''}）` })),
    ...(units.data?.items ?? []).filter((u) => !sugg.data?.items.some((s) => s.departmentId === u.id)).map((u) => ({ value: u.id, label: `${u.name} · ${u.division}` })),
  ];
  return (
    <StepForm key={first ?? 'none'} order={order} action={order.status === 'returned' ? 'return-decision' : 'dispatch'} title={t('hl.dispatch.title')} submit={t('hl.dispatch.submit')} onDone={onDone}
      initial={{ departmentId: first, ...(order.status === 'returned' ? { decision: 'redispatch' } : {}) }}>
      {order.status === 'returned' && <Form.Item name="decision" hidden><Input /></Form.Item>}
      <p aria-live="polite" className="hl-muted">
        {sugg.loading ? t('app.loading') : sugg.data?.items.length ? t('hl.dispatch.suggested', { name: sugg.data.items[0]!.name }) : t('hl.dispatch.noSuggestion')}
      </p>
      <Form.Item name="departmentId" label={t('hl.dispatch.unit')} rules={[{ required: true, message: t('hl.required') }]} htmlFor="hl-dispatch-unit">
        <Select id="hl-dispatch-unit" showSearch optionFilterProp="label" options={options} loading={units.loading || sugg.loading} />
      </Form.Item>
      <Form.Item name="comment" label={t('hl.comment')} htmlFor="hl-dispatch-comment"><Input id="hl-dispatch-comment" maxLength={500} /></Form.Item>
    </StepForm>
  );
}

export function UnitActions({ order, onDone }: { order: Order; onDone(o: Order): void }) {
  const { t } = useI18n();
  const vocab = useLoad(() => hl.vocabulary(), []);
  const reasons = Object.entries(vocab.data?.returnReasons ?? {}).map(([value, label]) => ({ value, label }));
  if (order.status === 'dispatched') {
    return (
      <>
        <StepForm order={order} action="sign" title={t('hl.unit.sign')} submit={t('hl.unit.signSubmit')} onDone={onDone} />
        <ReturnForm order={order} reasons={reasons} onDone={onDone} />
      </>
    );
  }
  if (order.status !== 'handling') return null;
  return (
    <>
      <StepForm order={order} action="reply" title={t('hl.unit.reply')} submit={t('hl.unit.replySubmit')} onDone={onDone}>
        <Form.Item name="reply" label={t('hl.reply')} htmlFor="hl-reply"><Input.TextArea id="hl-reply" rows={4} maxLength={4000} showCount /></Form.Item>
      </StepForm>
      <ReturnForm order={order} reasons={reasons} onDone={onDone} />
      <StepForm order={order} action="extension" title={t('hl.unit.extension')} submit={t('hl.unit.extensionSubmit')} onDone={onDone} initial={{ workingDays: 5 }}>
        <Form.Item name="workingDays" label={t('hl.unit.workingDays')} htmlFor="hl-ext-days"><InputNumber id="hl-ext-days" min={1} max={30} /></Form.Item>
        <Form.Item name="reason" label={t('hl.unit.reason')} htmlFor="hl-ext-reason"><Input id="hl-ext-reason" maxLength={500} /></Form.Item>
        <Form.Item name="legalBasis" label={t('hl.legalBasis')} htmlFor="hl-ext-basis"><Input id="hl-ext-basis" maxLength={500} /></Form.Item>
      </StepForm>
    </>
  );
}

function ReturnForm({ order, reasons, onDone }: { order: Order; reasons: Array<{ value: string; label: string }>; onDone(o: Order): void }) {
  const { t } = useI18n();
  if (order.forced) return <p>{t('hl.unit.forced')}</p>;
  return (
    <StepForm order={order} action="return" title={t('hl.unit.return')} submit={t('hl.unit.returnSubmit')} onDone={onDone} danger>
      <Form.Item name="reasonCode" label={t('hl.unit.returnReason')} htmlFor="hl-return-reason"><Select id="hl-return-reason" options={reasons} /></Form.Item>
      <Form.Item name="legalBasis" label={t('hl.legalBasis')} extra={t('hl.unit.legalBasisHint')} htmlFor="hl-return-basis"><Input id="hl-return-basis" maxLength={500} /></Form.Item>
      <Form.Item name="note" label={t('hl.comment')} htmlFor="hl-return-note"><Input id="hl-return-note" maxLength={500} /></Form.Item>
    </StepForm>
  );
}

export function HotlineActions({ order, onDone }: { order: Order; onDone(o: Order): void }) {
  const { t } = useI18n();
  const auth = useAuth();
  const dispatcher = auth.can('hotline:order.dispatch');
  const operator = auth.can('hotline:order.create');
  switch (order.status) {
    case 'accepted':
      return dispatcher ? <DispatchPanel order={order} onDone={onDone} /> : null;
    case 'returned':
      if (!dispatcher) return null;
      return (
        <>
          <StepForm order={order} action="return-decision" title={t('hl.sup.overrule')} submit={t('hl.sup.overruleSubmit')} onDone={onDone} initial={{ decision: 'overrule' }}>
            <Form.Item name="decision" hidden><Input /></Form.Item>
            <Form.Item name="comment" label={t('hl.comment')} htmlFor="hl-overrule-comment"><Input id="hl-overrule-comment" maxLength={500} /></Form.Item>
          </StepForm>
          <DispatchPanel order={order} onDone={onDone} />
        </>
      );
    case 'extension':
      return !dispatcher ? null : (
        <StepForm order={order} action="extension-decision" title={t('hl.sup.extension')} submit={t('hl.sup.decide')} onDone={onDone} initial={{ approve: true }}>
          <Form.Item name="approve" label={t('hl.sup.decision')} htmlFor="hl-ext-decision"><Radio.Group id="hl-ext-decision" options={[{ value: true, label: t('hl.sup.approve') }, { value: false, label: t('hl.sup.refuse') }]} /></Form.Item>
          <Form.Item name="comment" label={t('hl.comment')} htmlFor="hl-ext-comment"><Input id="hl-ext-comment" maxLength={500} /></Form.Item>
        </StepForm>
      );
    case 'review':
      return !dispatcher ? null : (
        <StepForm order={order} action="review" title={t('hl.sup.review')} submit={t('hl.sup.decide')} onDone={onDone} initial={{ approve: true }}>
          <Form.Item name="approve" label={t('hl.sup.decision')} htmlFor="hl-review-decision"><Radio.Group id="hl-review-decision" options={[{ value: true, label: t('hl.sup.approveReply') }, { value: false, label: t('hl.sup.rejectReply') }]} /></Form.Item>
          <Form.Item name="comment" label={t('hl.comment')} htmlFor="hl-review-comment"><Input id="hl-review-comment" maxLength={500} /></Form.Item>
        </StepForm>
      );
    case 'callback':
      return !operator ? null : (
        <StepForm order={order} action="callback" title={t('hl.sup.callback')} submit={t('hl.sup.callbackSubmit')} onDone={onDone} initial={{ satisfaction: 'satisfied', unitAtFault: false }}>
          <Form.Item name="satisfaction" label={t('hl.satisfaction')} htmlFor="hl-satisfaction">
            <Radio.Group id="hl-satisfaction" options={['satisfied', 'basically-satisfied', 'dissatisfied'].map((v) => ({ value: v, label: t(`hl.sat.${v}` as never) }))} />
          </Form.Item>
          <Form.Item name="unitAtFault" valuePropName="checked" extra={t('hl.sup.atFaultHint')} htmlFor="hl-at-fault"><Checkbox id="hl-at-fault">{t('hl.sup.atFault')}</Checkbox></Form.Item>
          <Form.Item name="comment" label={t('hl.comment')} htmlFor="hl-callback-comment"><Input id="hl-callback-comment" maxLength={500} /></Form.Item>
        </StepForm>
      );
    default:
      return null;
  }
}
