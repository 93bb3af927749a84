// 申请向导: 填写信息 → 上传材料 → 确认提交, for an item or a 一件事一次办 bundle (its merged form).
// The form is rendered from the item's form and prefilled from the profile; the draft is saved on
// the server (resume on another device) and in this browser on every change; the submission
// carries an idempotency key (a retry after a network failure cannot apply twice); problem+json
// errors go next to the fields and materials they name.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Alert, Button, Form, Space } from 'antd';
import { api, unwrap } from '../../../api/client';
import { ApiError, errorMessage, toApiError, type FieldProblem } from '../../../api/problem';
import { useI18n } from '../../../i18n';
import { usePageTitle } from '../../../shell/title';
import { ProblemAlert, useLoad } from '../../../shell/data';
import { FormRenderer, showFormErrors } from '../../../shared/forms/FormRenderer';
import { compact, fieldsOf, materialIndex, visibleData, type JsonSchema, type UiNode } from '../../../shared/forms/schema';
import { MaterialsStep } from './Materials';
import { newKey, useServiceDivision, type MaterialInfo } from './common';
import { clearLocal, deleteServer, newer, readLocal, readServer, writeLocal, writeServer, type Kind, type MaterialChoice, type Saved, type WizardState } from './wizardDraft';

interface Target {
  title: string;
  form: { key?: string; version?: number; schema: JsonSchema; uiSchema: UiNode } | null;
  materials: MaterialInfo[];
  prefill: Record<string, unknown>;
}

async function loadTarget(kind: Kind, key: string, division: string, lang: string): Promise<Target> {
  if (kind === 'item') {
    const r = await unwrap(api.GET('/api/services/applications/prefill', { params: { query: { itemKey: key, division } } })) as unknown as {
      item: { name: string; materials: MaterialInfo[] }; form: Target['form']; data: Record<string, unknown>;
    };
    return { title: r.item.name, form: r.form, materials: r.item.materials, prefill: r.data };
  }
  const b = await unwrap(api.GET('/api/services/bundles/{key}', { params: { path: { key }, query: { division } } })) as unknown as {
    title: Record<string, string>; form: Target['form']; materials: MaterialInfo[]; items: Array<{ key: string }>;
  };
  // The merged form keeps every member's prefill annotations: the server fills all of them from the
  // profile (a failed prefill leaves the form empty, never blocks applying).
  const p = b.form
    ? await unwrap(api.GET('/api/services/bundles/{key}/prefill', { params: { path: { key }, query: { division } } })).catch(() => null) as { data?: Record<string, unknown> } | null
    : null;
  const prefill = p?.data ?? {};
  return { title: b.title[lang] ?? b.title['zh-CN'] ?? key, form: b.form, materials: b.materials, prefill };
}

const STEPS = ['svc.apply.step1', 'svc.apply.step2', 'svc.apply.step3'] as const;

export default function Apply({ kind }: { kind: Kind }) {
  const { key = '' } = useParams();
  const i18n = useI18n();
  const { t } = i18n;
  usePageTitle('svc.apply.title');
  const navigate = useNavigate();
  const [division] = useServiceDivision();
  const target = useLoad(() => loadTarget(kind, key, division, i18n.lang), [kind, key, division]);
  const [form] = Form.useForm();
  const [state, setState] = useState<WizardState | null>(null);
  const [resumed, setResumed] = useState<Saved | null>(null);
  const [saveStatus, setSaveStatus] = useState('');
  const [materialErrors, setMaterialErrors] = useState<Record<string, string[]>>({});
  const [rest, setRest] = useState<FieldProblem[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  // Open: the newer of the server's and this browser's draft, else the profile prefill.
  useEffect(() => {
    if (!target.data) return;
    let live = true;
    (async () => {
      const local = readLocal(kind, key);
      const server = await readServer(kind, key).catch(() => null);
      const best = newer(server, local);
      if (!live) return;
      const initial: WizardState = best
        ? { step: Math.min(best.step, 2), data: best.data, materials: best.materials, fileNames: best.fileNames, submitKey: best.submitKey || newKey() }
        : { step: 0, data: target.data!.prefill, materials: {}, fileNames: {}, submitKey: newKey() };
      form.setFieldsValue(initial.data);
      setState(initial);
      setResumed(best);
    })();
    return () => { live = false; };
  }, [target.data, kind, key, form]);

  const snapshot = useCallback((patch: Partial<WizardState> = {}): WizardState => {
    const s = { ...state!, data: form.getFieldsValue(true) as Record<string, unknown>, ...patch };
    return s;
  }, [state, form]);

  const keepLocal = useCallback((s: WizardState) => writeLocal(kind, key, s), [kind, key]);

  const saveDraft = useCallback(async (s: WizardState) => {
    keepLocal(s);
    try {
      const at = await writeServer(kind, key, division, target.data?.title ?? key, { ...s, data: compact(s.data) as Record<string, unknown> });
      setSaveStatus(t('svc.draft.saved', { time: i18n.date(at) }));
    } catch (err) {
      setSaveStatus(toApiError(err).kind === 'network' ? t('svc.draft.savedLocal') : errorMessage(err, i18n));
    }
  }, [kind, key, division, target.data, keepLocal, t, i18n]);

  const goTo = async (step: number) => {
    const s = snapshot({ step });
    setState(s);
    await saveDraft(s);
    heading.current?.focus();
  };

  const schema = target.data?.form?.schema;
  const fields = useMemo(() => (schema ? fieldsOf(schema, target.data?.form?.uiSchema ?? {}) : []), [schema, target.data]);
  const cleanData = () => compact(visibleData(fields, form.getFieldsValue(true) as Record<string, unknown>)) as Record<string, unknown>;

  /** Step 1 → 2: the forms engine's check of the typed data (the submission checks it again). */
  const checkForm = async () => {
    setError(null);
    setRest([]);
    const f = target.data?.form;
    if (kind === 'item' && f?.key) {
      setBusy(true);
      try {
        const r = await unwrap(api.POST('/api/forms/{key}/validate', { params: { path: { key: f.key } }, body: { data: cleanData(), division, ...(f.version ? { version: f.version } : {}) } }));
        if (!r.valid) {
          const placed = showFormErrors(form, new ApiError('validation', 400, { errors: r.errors }), i18n);
          setRest(placed.rest);
          setError(t('svc.apply.fix', { n: r.errors.length }));
          return;
        }
      } catch (err) {
        setError(err);
        return;
      } finally {
        setBusy(false);
      }
    }
    await goTo(1);
  };

  /** Step 2 → 3: every required material has files or an e-license (the server checks types and sizes). */
  const checkMaterials = async () => {
    const missing: Record<string, string[]> = {};
    for (const m of target.data?.materials ?? []) {
      const c = state?.materials[m.id];
      if (m.required && !c?.license && !(c?.fileIds?.length)) missing[m.id] = [t('svc.material.missing', { name: m.name })];
    }
    setMaterialErrors(missing);
    if (Object.keys(missing).length) {
      setError(t('svc.apply.fix', { n: Object.keys(missing).length }));
      return;
    }
    setError(null);
    await goTo(2);
  };

  const submit = async () => {
    if (!state) return;
    setBusy(true);
    setError(null);
    setRest([]);
    setMaterialErrors({});
    const list = (target.data?.materials ?? []).map((m) => ({ m, c: state.materials[m.id] })).filter(({ c }) => c && (c.license || (c.fileIds?.length ?? 0) > 0));
    const materials = list.map(({ m, c }) => ({ materialId: m.id, ...(c!.license ? { license: c!.license } : { fileIds: c!.fileIds }) }));
    const body = { division, data: cleanData(), materials, idempotencyKey: state.submitKey };
    try {
      const r = kind === 'item'
        ? await unwrap(api.POST('/api/services/applications', { body: { itemKey: key, ...body } }))
        : await unwrap(api.POST('/api/services/bundles/{key}/applications', { params: { path: { key } }, body }));
      const res = r as unknown as { id?: string; application?: { id: string } };
      const id = res.id ?? res.application?.id;
      clearLocal(kind, key);
      await deleteServer(kind, key);
      navigate(id ? `/portal/services/mine/${id}` : '/portal/services/mine', { state: { submitted: true } });
    } catch (err) {
      const e = toApiError(err);
      setError(err);
      if (e.kind === 'network') {
        keepLocal(snapshot());
        return;
      }
      const placed = showFormErrors(form, err, i18n);
      const byMaterial: Record<string, string[]> = {};
      const others: FieldProblem[] = [];
      for (const fe of placed.rest) {
        const i = materialIndex(fe.pointer);
        // A required material that was not sent is reported at /body/materials, naming it.
        const id = i !== null ? materials[i]?.materialId : fe.pointer === '/body/materials' ? target.data?.materials.find((m) => fe.message.includes(m.name))?.id : undefined;
        if (id) (byMaterial[id] ??= []).push(fe.message);
        else others.push(fe);
      }
      setMaterialErrors(byMaterial);
      setRest(others);
      if (placed.placed > 0) setState({ ...snapshot(), step: 0 });
      else if (Object.keys(byMaterial).length) setState({ ...snapshot(), step: 1 });
    } finally {
      setBusy(false);
    }
  };

  // Functional updates: an upload names its file and then sets the material in the same tick.
  const setMaterials = (materials: Record<string, MaterialChoice>) => setState((s) => {
    const next = { ...s!, data: form.getFieldsValue(true) as Record<string, unknown>, materials };
    keepLocal(next);
    return next;
  });
  const onFileNamed = (id: string, name: string) => setState((s) => (s ? { ...s, fileNames: { ...s.fileNames, [id]: name } } : s));

  const step = state?.step ?? 0;
  return (
    <>
      <p><Link to={kind === 'item' ? `/portal/services/items/${key}` : `/portal/services/bundles/${key}`}>{t('svc.back.guide')}</Link></p>
      <h1 className="yl-page-title" ref={heading} tabIndex={-1}>{target.data ? t('svc.apply.heading', { name: target.data.title }) : t('svc.apply.title')}</h1>
      <ProblemAlert error={target.error} onRetry={target.reload} />
      {!state && !target.error && <p role="status">{t('app.loading')}</p>}
      {state && target.data && (
        <>
          <ol className="yl-svc-steps" aria-label={t('svc.apply.steps')}>
            {STEPS.map((s, i) => <li key={s} aria-current={i === step ? 'step' : undefined} className={i === step ? 'is-current' : i < step ? 'is-done' : ''}>{t(s)}</li>)}
          </ol>
          {resumed && <Alert type="info" showIcon role="status" style={{ marginBottom: 12 }} title={t('svc.draft.resumed', { time: i18n.date(resumed.savedAt) })} />}
          {error !== null && <Alert type="error" showIcon role="alert" style={{ marginBottom: 12 }}
            title={typeof error === 'string' ? error : errorMessage(error, i18n)}
            description={rest.length ? <ul>{rest.map((r) => <li key={r.pointer + r.message}>{r.message}</li>)}</ul> : undefined} />}
          <Form form={form} layout="vertical" onValuesChange={() => keepLocal(snapshot())} style={{ display: step === 0 ? undefined : 'none' }} aria-hidden={step !== 0}>
            {target.data.form
              ? <FormRenderer form={form} schema={target.data.form.schema} uiSchema={target.data.form.uiSchema} fileNames={state.fileNames} onFileNamed={onFileNamed} />
              : <p>{t('svc.apply.noForm')}</p>}
          </Form>
          {step === 1 && (
            <MaterialsStep materials={target.data.materials} value={state.materials} onChange={setMaterials} fileNames={state.fileNames} onFileNamed={onFileNamed} errors={materialErrors} />
          )}
          {step === 2 && <Confirm fields={fields} data={cleanData()} materials={target.data.materials} choices={state.materials} fileNames={state.fileNames} />}
          <div role="status" aria-live="polite" className="yl-secondary" data-testid="draft-status">{saveStatus}</div>
          <Space wrap style={{ marginTop: 12 }}>
            {step > 0 && <Button onClick={() => void goTo(step - 1)} disabled={busy}>{t('svc.apply.prev')}</Button>}
            <Button onClick={() => void saveDraft(snapshot())} disabled={busy}>{t('svc.draft.save')}</Button>
            {step === 0 && <Button type="primary" onClick={() => void checkForm()} loading={busy}>{t('svc.apply.next')}</Button>}
            {step === 1 && <Button type="primary" onClick={() => void checkMaterials()} disabled={busy}>{t('svc.apply.next')}</Button>}
            {step === 2 && <Button type="primary" onClick={() => void submit()} loading={busy}>{t('svc.apply.submit')}</Button>}
          </Space>
        </>
      )}
    </>
  );
}

function show(v: unknown): string {
  if (v === true) return '✓';
  if (Array.isArray(v)) return v.map(show).join('、');
  if (v && typeof v === 'object') return Object.values(v).map(show).join(' ');
  return String(v ?? '');
}

function Confirm({ fields, data, materials, choices, fileNames }: {
  fields: ReturnType<typeof fieldsOf>; data: Record<string, unknown>; materials: MaterialInfo[]; choices: Record<string, MaterialChoice>; fileNames: Record<string, string>;
}) {
  const { t, lang } = useI18n();
  const rows = fields.flatMap((f) => (f.kind === 'group' ? f.children.map((c) => ({ f: c, v: (data[f.name] as Record<string, unknown> | undefined)?.[c.name] })) : [{ f, v: data[f.name] }]))
    .filter(({ v }) => v !== undefined);
  return (
    <section aria-labelledby="svc-confirm">
      <h2 className="yl-section-title" id="svc-confirm">{t('svc.apply.review')}</h2>
      <dl className="yl-svc-facts yl-svc-facts-wide">
        {rows.map(({ f, v }) => <div key={f.path.join('/')}><dt>{lang === 'en' ? f.label.en : f.label.zh}</dt><dd>{f.kind === 'attachment' ? (v as string[]).map((id) => fileNames[id] ?? id).join('、') : show(v)}</dd></div>)}
      </dl>
      <h3>{t('svc.guide.materials')}</h3>
      <ul>
        {materials.map((m) => {
          const c = choices[m.id];
          const what = c?.license ? t('svc.material.byLicense') : c?.fileIds?.length ? c.fileIds.map((id) => fileNames[id] ?? id).join('、') : t('svc.material.none');
          return <li key={m.id}>{m.name}：{what}</li>;
        })}
      </ul>
    </section>
  );
}
