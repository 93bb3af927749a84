// 话务员台 — the operator console, keyboard first: the intake form in the order an operator hears a
// call (phone, caller, demand type, category, place, urgency, request), caller history as soon as
// the number is typed, knowledge suggestions while the request is typed (one key answers from an
// entry: 即时办结), a duplicate warning, and — after saving — the 110 prompt, dispatch and merge.
// Shortcuts are listed on the page. The draft survives reloads and expired sessions.
import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, App, Button, Checkbox, Form, Input, Radio, Select } from 'antd';
import { errorMessage, showFieldErrors } from '../../../api/problem';
import { useAuth } from '../../../auth/AuthProvider';
import { useI18n } from '../../../i18n';
import { useDraft } from '../../../shell/draft';
import { useLoad, ProblemAlert } from '../../../shell/data';
import { usePageTitle } from '../../../shell/title';
import { hl, homeDivision, newKey, type IntakeResult, type KbHit } from './api';
import { CallerHistory, Duplicates, KbSuggestions } from './ConsoleSide';
import { AfterSave } from './AfterSave';

interface Values {
  phone?: string;
  name?: string;
  anonymous?: boolean;
  demandType: string;
  categoryCode?: string;
  division: string;
  address?: string;
  urgent?: boolean;
  content?: string;
  refusalCode?: string;
  refusalNote?: string;
}

export const SHORTCUTS: Array<[string, string]> = [
  ['Alt+P', 'hl.key.phone'], ['Alt+C', 'hl.key.category'], ['Alt+T', 'hl.key.text'], ['Alt+K', 'hl.key.kb'],
  ['Alt+A', 'hl.key.answer'], ['Alt+S', 'hl.key.save'], ['Alt+J', 'hl.key.police'], ['Alt+N', 'hl.key.new'],
];

const focus = (sel: string) => (document.querySelector(sel) as HTMLElement | null)?.focus();

export default function Console() {
  const i18n = useI18n();
  const { t } = i18n;
  const auth = useAuth();
  const { message } = App.useApp();
  usePageTitle('hl.console.title');
  const [form] = Form.useForm<Values>();
  const draft = useDraft<Values>('hotline.console', form);
  const cats = useLoad(() => hl.categories(), []);
  const vocab = useLoad(() => hl.vocabulary(), []);
  const [result, setResult] = useState<IntakeResult | null>(null);
  const [answered, setAnswered] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const key = useRef(newKey());
  const phone = Form.useWatch('phone', form) ?? '';
  const content = Form.useWatch('content', form) ?? '';
  const categoryCode = Form.useWatch('categoryCode', form);
  const division = Form.useWatch('division', form) ?? '';
  const division0 = homeDivision(auth.user);

  const leaves = useMemo(() => (cats.data ?? []).filter((c) => c.leaf).map((c) => ({ value: c.code, label: c.path })), [cats.data]);
  const check = categoryCode && /^\d{6,12}$/.test(division) && content.trim().length >= 4
    ? { ...(phone.trim() ? { phone: phone.trim() } : {}), division, categoryCode, text: content.trim() } : null;

  const body = (v: Values) => ({
    channel: 'phone', demandType: v.demandType, categoryCode: v.categoryCode ?? '', content: v.content ?? '',
    urgency: v.urgent ? 'urgent' : 'normal',
    caller: { ...(v.name?.trim() ? { name: v.name.trim() } : {}), ...(v.phone?.trim() ? { phone: v.phone.trim() } : {}), anonymous: !!v.anonymous },
    location: { division: v.division, ...(v.address?.trim() ? { address: v.address.trim() } : {}) },
    ...(v.refusalCode ? { refusal: { code: v.refusalCode, ...(v.refusalNote?.trim() ? { note: v.refusalNote.trim() } : {}) } } : {}),
  });

  /** Saves the order; with `answer`, answers it at once from that knowledge entry. */
  const save = async (answer?: KbHit) => {
    if (result || busy) return;
    setError(null);
    setBusy(answer?.id ?? 'save');
    try {
      const v = form.getFieldsValue(true) as Values;
      const r = await hl.create(body(v), key.current);
      setResult(r);
      if (answer) {
        const entry = await hl.kbEntry(answer.id);
        await hl.step(r.order.id, 'answer', { reply: `${entry.title}\n${entry.content}` });
        setAnswered(true);
      }
      draft.clear();
      void message.success(t(r.order.status === 'refused' ? 'hl.console.refusedSaved' : 'hl.console.saved', { number: r.order.number }));
      setTimeout(() => focus('#hl-after h2'), 0);
    } catch (err) {
      const rest = showFieldErrors(form, err);
      setError(rest.length ? rest.map((r) => r.message).join('；') : errorMessage(err, i18n));
    } finally {
      setBusy(null);
    }
  };

  const startNew = () => {
    form.resetFields();
    form.setFieldsValue({ demandType: '咨询', division: division0 });
    draft.clear();
    key.current = newKey();
    setResult(null);
    setAnswered(false);
    setError(null);
    setTimeout(() => focus('#hl-phone'), 0);
  };

  useEffect(() => {
    if (!form.getFieldValue('division')) form.setFieldsValue({ division: division0 });
    if (!form.getFieldValue('demandType')) form.setFieldsValue({ demandType: '咨询' });
  }, [form, division0]);

  // Keyboard shortcuts (Alt+letter; `code` so that input methods and layouts do not matter).
  const saveRef = useRef(save);
  saveRef.current = save;
  const newRef = useRef(startNew);
  newRef.current = startNew;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const act: Record<string, () => void> = {
        KeyP: () => focus('#hl-phone'), KeyC: () => focus('#hl-category'), KeyT: () => focus('#hl-content'),
        KeyK: () => (document.querySelector('.hl-kb-answer') ? focus('.hl-kb-answer') : focus('#hl-kb-panel')),
        KeyA: () => (document.querySelector('.hl-kb-answer') as HTMLElement | null)?.click(),
        KeyS: () => void saveRef.current(), KeyN: () => newRef.current(),
        KeyJ: () => focus('#hl-police'),
      };
      const run = act[e.code];
      if (run) {
        e.preventDefault();
        run();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const locked = !!result;
  return (
    <>
      <h1 className="yl-page-title">{t('hl.console.title')}</h1>
      <details className="hl-keys">
        <summary>{t('hl.console.keys')}</summary>
        <ul>{SHORTCUTS.map(([k, label]) => <li key={k}><kbd>{k}</kbd> {t(label as never)}</li>)}</ul>
      </details>
      <ProblemAlert error={cats.error ?? vocab.error} onRetry={() => { cats.reload(); vocab.reload(); }} />
      <div className="hl-console">
        <section aria-labelledby="hl-form-title">
          <h2 id="hl-form-title" className="yl-section-title">{t('hl.console.form')}</h2>
          <Form form={form} layout="vertical" onValuesChange={draft.onValuesChange} onFinish={() => void save()} disabled={locked} requiredMark>
            <Form.Item name="phone" label={t('hl.field.phone')} extra={t('hl.field.phoneHint')} htmlFor="hl-phone">
              <Input id="hl-phone" inputMode="tel" autoComplete="off" autoFocus aria-keyshortcuts="Alt+P" />
            </Form.Item>
            <div className="hl-row">
              <Form.Item name={['name']} label={t('hl.field.name')} style={{ flex: 1 }} htmlFor="hl-name"><Input id="hl-name" autoComplete="off" /></Form.Item>
              <Form.Item name="anonymous" valuePropName="checked" label=" " colon={false} htmlFor="hl-anonymous"><Checkbox id="hl-anonymous">{t('hl.field.anonymous')}</Checkbox></Form.Item>
            </div>
            <Form.Item name="demandType" label={t('hl.field.demandType')} required htmlFor="hl-demand">
              <Radio.Group id="hl-demand" optionType="button" options={(vocab.data?.demandTypes ?? ['咨询', '求助', '投诉', '举报', '意见建议', '表扬']).map((d) => ({ value: d, label: d }))} />
            </Form.Item>
            <Form.Item name="categoryCode" label={t('hl.field.category')} required extra={t('hl.field.categoryHint')} htmlFor="hl-category">
              <Select id="hl-category" showSearch optionFilterProp="label" options={leaves} loading={cats.loading} placeholder={t('hl.field.categoryPlaceholder')} aria-keyshortcuts="Alt+C" />
            </Form.Item>
            <div className="hl-row">
              <Form.Item name="division" label={t('common.division')} required style={{ width: 160 }} htmlFor="hl-division"><Input id="hl-division" inputMode="numeric" /></Form.Item>
              <Form.Item name="address" label={t('hl.field.address')} style={{ flex: 1 }} htmlFor="hl-address"><Input id="hl-address" /></Form.Item>
            </div>
            <Form.Item name="urgent" valuePropName="checked" htmlFor="hl-urgent"><Checkbox id="hl-urgent">{t('hl.field.urgent')}</Checkbox></Form.Item>
            <Form.Item name="content" label={t('hl.field.content')} required htmlFor="hl-content">
              <Input.TextArea id="hl-content" rows={5} showCount maxLength={4000} aria-keyshortcuts="Alt+T" />
            </Form.Item>
            <details className="hl-refusal">
              <summary>{t('hl.console.refusal')}</summary>
              <Form.Item name="refusalCode" label={t('hl.field.refusalCode')} extra={t('hl.field.refusalHint')} htmlFor="hl-refusal">
                <Select id="hl-refusal" allowClear options={Object.entries(vocab.data?.refusalReasons ?? {}).map(([value, label]) => ({ value, label }))} />
              </Form.Item>
              <Form.Item name="refusalNote" label={t('hl.field.refusalNote')} htmlFor="hl-refusal-note"><Input id="hl-refusal-note" maxLength={500} /></Form.Item>
            </details>
            {error && <Alert type="error" showIcon role="alert" title={error} style={{ marginBottom: 12 }} />}
            <div className="hl-row">
              <Button type="primary" htmlType="submit" loading={busy === 'save'} aria-keyshortcuts="Alt+S">{t('hl.console.save')}</Button>
              {locked && <Button disabled={false} onClick={startNew} aria-keyshortcuts="Alt+N">{t('hl.console.new')}</Button>}
            </div>
          </Form>
          {result && <AfterSave result={result} answered={answered} onNew={startNew} />}
        </section>
        <aside className="hl-side" aria-label={t('hl.console.side')}>
          <CallerHistory phone={phone} />
          <KbSuggestions text={content} busy={busy} onAnswer={(k) => void save(k)} />
          <Duplicates check={locked ? null : check} />
        </aside>
      </div>
    </>
  );
}
