// Every action the server allows this user on the case now (CaseView.actions — never hard-coded
// per state), each a button named by the workflow action's own label. Choosing one opens its form,
// shaped by what the action means (its target state): 不予受理 → coded reason + text; 补正 → the
// listed items to request + note; 不予许可 → reasons + legal basis; 准予/办结 → result document;
// countersign → opinion; plus whatever the definition requires (fields, attachments). Destructive
// ones are confirmed. Server errors appear at their fields; what was typed is kept (draft).
import { useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Form, Input, Select, Space, Typography } from 'antd';
import { api, unwrap } from '../../../api/client';
import { errorMessage, pointerPath, showFieldErrors, toApiError, type FieldProblem } from '../../../api/problem';
import { useI18n } from '../../../i18n';
import { useDraft } from '../../../shell/draft';
import { AttachmentInput, type FileNames } from '../../../shared/forms/widgets';
import type { CaseBundle } from './load';
import { isDestructive, meaningOf, type ActionMeaning, type CaseAction } from './types';

const REJECT_CODES = ['not-competent', 'not-eligible', 'incomplete-uncorrectable', 'false-materials', 'other'] as const;

interface ActionForm {
  comment?: string; reasonCode?: string; legalBasis?: string; correctionItems?: string[]; correctionNote?: string;
  result?: { text?: string; fileIds?: string[] }; attachments?: string[]; data?: Record<string, unknown>;
}

export function ActionPanel({ bundle, onDone }: { bundle: CaseBundle; onDone(): void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState<string | null>(null);
  const [announce, setAnnounce] = useState('');
  const actions = bundle.view.actions;
  const current = actions.find((a) => a.id === open);
  return (
    <section aria-labelledby="case-actions">
      <Typography.Title level={2} id="case-actions">{t('case.actions')}</Typography.Title>
      <div role="status" aria-live="polite" className="yl-sr-live">{announce}</div>
      {actions.length === 0 ? <p>{t('case.actions.none')}</p> : (
        <Space wrap role="group" aria-label={t('case.actions')}>
          {actions.map((a) => (
            <Button key={a.id} type={open === a.id ? 'primary' : 'default'} danger={isDestructive(meaningOf(a, bundle.definition), a, bundle.definition)}
              aria-expanded={open === a.id} aria-controls="case-action-form" onClick={() => setOpen(open === a.id ? null : a.id)}>
              {a.name}
            </Button>
          ))}
        </Space>
      )}
      {current && (
        <ActionFormCard key={current.id} bundle={bundle} action={current} onCancel={() => setOpen(null)}
          onDone={(msg) => { setOpen(null); setAnnounce(msg); onDone(); }} />
      )}
    </section>
  );
}

/** Field errors the form has no field for by exact name go to the first field under that path (e.g. /body/result → result.text). */
function placeErrors(form: ReturnType<typeof Form.useForm<ActionForm>>[0], err: unknown): FieldProblem[] {
  const rest = showFieldErrors(form, err);
  const names = form.getFieldsError().map((f) => f.name as (string | number)[]);
  const left: FieldProblem[] = [];
  for (const p of rest) {
    const path = pointerPath(p.pointer).map(String);
    const hit = names.find((n) => path.length > 0 && path.every((seg, i) => String(n[i]) === seg));
    if (hit) form.setFields([{ name: hit, errors: [p.message] }]);
    else left.push(p);
  }
  return left;
}

function ActionFormCard({ bundle, action, onCancel, onDone }: { bundle: CaseBundle; action: CaseAction; onCancel(): void; onDone(msg: string): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { modal } = App.useApp();
  const [form] = Form.useForm<ActionForm>();
  const draft = useDraft(`case.${bundle.view.id}.${action.id}`, form);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [rest, setRest] = useState<FieldProblem[]>([]);
  const [names, setNames] = useState<FileNames>({});
  const m: ActionMeaning = meaningOf(action, bundle.definition);
  const app = bundle.application;
  const needsComment = !!action.requires.comment || m === 'reject' || m === 'refuse' || m === 'vote-reject' || m === 'correction';
  const fields = (action.requires.fields ?? []).filter((p) => p !== '/corrections');
  const materials = bundle.materials.length ? bundle.materials.map((x) => ({ id: x.id, name: x.name })) : (app?.materials ?? []).map((x) => ({ id: x.materialId, name: x.name }));
  const commentLabel = t(({ reject: 'case.f.rejectText', refuse: 'case.f.refuseReasons', correction: 'case.f.correctionText', 'vote-approve': 'case.f.opinion', 'vote-reject': 'case.f.opinion', approve: 'case.f.comment', other: 'case.f.comment' } as const)[m]);
  const named = (id: string, name: string) => setNames((n) => ({ ...n, [id]: name }));

  const send = async (v: ActionForm) => {
    setBusy(true);
    setError(null);
    setRest([]);
    try {
      const data: Record<string, unknown> = { ...(v.data ?? {}) };
      if (m === 'reject' && v.reasonCode) data.decision = { reasonCode: v.reasonCode };
      const reasonLabel = v.reasonCode ? t(`case.reject.${v.reasonCode}` as 'case.reject.other') : '';
      const comment = m === 'reject' && reasonLabel ? `【${reasonLabel}】${v.comment ?? ''}` : v.comment?.trim() || undefined;
      const common = {
        ...(comment ? { comment } : {}), ...(Object.keys(data).length ? { data } : {}),
        ...(v.attachments?.length ? { attachments: v.attachments } : {}), expectedVersion: bundle.view.rowVersion,
      };
      if (app) {
        const resultFile = v.result?.fileIds?.[0];
        const body = {
          ...common,
          ...(m === 'refuse' ? { legalBasis: v.legalBasis } : {}),
          ...(m === 'correction' ? { corrections: (v.correctionItems ?? []).map((id) => ({ materialId: id, note: v.correctionNote?.trim() || t('case.correction.defaultNote') })) } : {}),
          ...((m === 'approve' || m === 'vote-approve') && (v.result?.text || resultFile) ? { result: { ...(v.result?.text ? { text: v.result.text } : {}), ...(resultFile ? { fileId: resultFile } : {}) } } : {}),
        };
        await unwrap(api.POST('/api/services/applications/{id}/actions/{action}', { params: { path: { id: app.id, action: action.id } }, body }));
      } else {
        await unwrap(api.POST('/api/workflow/instances/{id}/actions/{action}', { params: { path: { id: bundle.view.id, action: action.id } }, body: common }));
      }
      draft.clear();
      onDone(t('case.action.done', { name: action.name }));
    } catch (err) {
      setRest(placeErrors(form, err));
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const submit = (v: ActionForm) => {
    if (!isDestructive(m, action, bundle.definition)) return void send(v);
    modal.confirm({
      title: t('case.confirm.title', { name: action.name }), content: t('case.confirm.body'),
      okText: action.name, okButtonProps: { danger: true }, cancelText: t('common.cancel'), onOk: () => send(v),
    });
  };

  const problem = error ? toApiError(error) : null;
  return (
    <Card id="case-action-form" style={{ marginTop: 16 }} title={<Typography.Title level={3} style={{ margin: 0 }}>{t('case.action.heading', { name: action.name })}</Typography.Title>}>
      {problem && (problem.kind !== 'validation' || !problem.problem.errors?.length) && <Alert type="error" showIcon role="alert" title={errorMessage(error, i18n)} style={{ marginBottom: 16 }} />}
      {rest.length > 0 && <Alert type="error" showIcon role="alert" title={rest.map((e) => e.message).join('；')} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" onFinish={submit} onValuesChange={draft.onValuesChange} style={{ maxWidth: 720 }}>
        {m === 'reject' && (
          <Form.Item name="reasonCode" label={t('case.f.rejectCode')} rules={[{ required: true, message: t('case.required') }]}>
            <Select options={REJECT_CODES.map((c) => ({ value: c, label: t(`case.reject.${c}`) }))} />
          </Form.Item>
        )}
        {m === 'correction' && app && (
          <>
            {/* A validator, not `required`: antd would put aria-required on the checkbox group's div (not allowed there). */}
            <Form.Item name="correctionItems" label={t('case.f.correctionItems')}
              rules={[{ validator: (_, v?: string[]) => (v?.length ? Promise.resolve() : Promise.reject(new Error(t('case.f.correctionPick')))) }]}>
              <Checkbox.Group options={materials.map((x) => ({ value: x.id, label: x.name }))} style={{ display: 'flex', flexDirection: 'column', gap: 8 }} />
            </Form.Item>
            <Form.Item name="correctionNote" label={t('case.f.correctionNote')}><Input.TextArea rows={2} maxLength={500} /></Form.Item>
          </>
        )}
        <Form.Item name="comment" label={commentLabel} rules={needsComment ? [{ required: true, whitespace: true, message: t('case.required') }] : []}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
        {m === 'refuse' && (
          <Form.Item name="legalBasis" label={t('case.legalBasis')} rules={app ? [{ required: true, whitespace: true, message: t('case.required') }] : []}>
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
        )}
        {(m === 'approve' || m === 'vote-approve') && app && (
          <>
            <Form.Item name={['result', 'text']} label={t('case.result.text')} extra={m === 'vote-approve' ? t('case.f.resultIfLast') : undefined}><Input.TextArea rows={2} maxLength={4000} /></Form.Item>
            <Form.Item name={['result', 'fileIds']} label={t('case.result.file')}>
              <AttachmentInput label={t('case.result.file')} names={names} onNamed={named} maxCount={1} accept={['application/pdf', 'application/ofd', 'image/*']} />
            </Form.Item>
          </>
        )}
        {fields.map((p) => {
          const path = pointerPath(p).map(String);
          return (
            <Form.Item key={p} name={['data', ...path]} label={t('case.f.field', { field: path.join(' / ') })} rules={[{ required: true, whitespace: true, message: t('case.required') }]}>
              <Input.TextArea rows={2} />
            </Form.Item>
          );
        })}
        {action.requires.attachments && (
          <Form.Item name="attachments" label={t('case.f.attachments', { n: action.requires.attachments.min ?? 1 })} rules={[{ validator: (_, v?: string[]) => ((v?.length ?? 0) >= (action.requires.attachments!.min ?? 0) ? Promise.resolve() : Promise.reject(new Error(t('case.required')))) }]}>
            <AttachmentInput label={t('case.f.attachmentsShort')} names={names} onNamed={named} />
          </Form.Item>
        )}
        <Space wrap>
          <Button type="primary" htmlType="submit" loading={busy} danger={isDestructive(m, action, bundle.definition)}>{t('case.action.submit', { name: action.name })}</Button>
          <Button onClick={onCancel}>{t('common.cancel')}</Button>
        </Space>
      </Form>
    </Card>
  );
}
