// Renders a forms-engine form (served JSON Schema + UI schema) as antd form fields: one Form.Item
// per field (so a problem+json error lands next to the field it names), groups as fieldsets,
// tables as repeatable rows, `x-visibleIf` evaluated live (hidden fields are not sent — the server
// ignores them too). The caller owns the <Form> (values = the form data) and its submission.
import { Button, Form, Input, InputNumber, Radio, Select, type FormInstance } from 'antd';
import { useI18n } from '../../i18n';
import { errorMessage, toApiError, type FieldProblem } from '../../api/problem';
import type { I18n } from '../../i18n';
import { conditionallyRequired, dataPath, fieldFor, fieldsOf, isVisible, type Field, type JsonSchema, type NamePath, type UiNode } from './schema';
import { AddressInput, AttachmentInput, DateRangeInput, DivisionSelect, LicenseInput, type FileNames } from './widgets';

export interface FormRendererProps {
  form: FormInstance;
  schema: JsonSchema;
  uiSchema?: UiNode;
  fileNames: FileNames;
  onFileNamed(id: string, name: string): void;
  disabled?: boolean;
}

const INPUT_MODE: Partial<Record<Field['kind'], 'numeric' | 'tel' | 'decimal' | 'text'>> = { mobile: 'tel', money: 'decimal', 'resident-id': 'text', 'credit-code': 'text' };

export function FormRenderer(props: FormRendererProps) {
  const { form, schema, uiSchema } = props;
  const data = (Form.useWatch([], { form, preserve: true }) ?? {}) as Record<string, unknown>;
  const fields = fieldsOf(schema, uiSchema ?? {});
  const extra = conditionallyRequired(schema, data);
  return <>{fields.map((f) => <FieldView key={f.name} field={{ ...f, required: f.required || extra.has(f.name) }} data={data} rows={[]} namePrefix={[]} {...props} />)}</>;
}

interface ViewProps extends FormRendererProps {
  field: Field;
  data: Record<string, unknown>;
  /** Table row indices of the enclosing rows (for `*` in conditions). */
  rows: number[];
  /** Inside a Form.List row: the name path relative to the list. */
  namePrefix: NamePath;
}

function FieldView(p: ViewProps) {
  const { lang, t } = useI18n();
  const { field: f, data, rows, disabled } = p;
  if (!isVisible(f, data, rows)) return null;
  const label = lang === 'en' ? f.label.en : f.label.zh;
  const name = [...p.namePrefix, ...(p.namePrefix.length ? [f.name] : f.path)];
  if (f.kind === 'group') {
    return (
      <fieldset className="yl-svc-group">
        <legend>{label}</legend>
        {f.children.map((c) => <FieldView key={c.name} {...p} field={c} namePrefix={p.namePrefix.length ? [...p.namePrefix, f.name] : []} />)}
      </fieldset>
    );
  }
  if (f.kind === 'table') return <TableView {...p} label={label} name={name} />;
  const item = (control: React.ReactNode, extra: Record<string, unknown> = {}) => (
    <Form.Item name={name} label={label} required={f.required} {...extra}>{control}</Form.Item>
  );
  const o = f.options;
  switch (f.kind) {
    case 'textarea':
      return item(<Input.TextArea rows={3} disabled={disabled} maxLength={f.node.maxLength} />);
    case 'number':
      return item(<InputNumber style={{ width: '100%' }} disabled={disabled} min={f.node.minimum} max={f.node.maximum} />);
    case 'boolean':
      return item(<Radio.Group disabled={disabled} options={[{ value: true, label: t('common.yes') }, { value: false, label: t('common.no') }]} />);
    case 'enum': {
      const opts = (f.values ?? []).map((v) => ({ value: v as string, label: String(v) }));
      return f.ui['ui:widget'] === 'radio' || opts.length <= 4
        ? item(<Radio.Group disabled={disabled} options={opts} />)
        : item(<Select disabled={disabled} options={opts} allowClear />);
    }
    case 'date':
      return item(<Input type="date" disabled={disabled} />);
    case 'division':
      return item(<DivisionSelect within={o.within} levels={o.levels} disabled={disabled} />);
    case 'address':
      return item(<AddressInput options={o} disabled={disabled} />);
    case 'date-range':
      return item(<DateRangeInput disabled={disabled} />);
    case 'money':
      return item(<Input inputMode="decimal" prefix="¥" disabled={disabled} />, { extra: o.max ? t('svc.form.moneyMax', { max: o.max }) : undefined });
    case 'attachment':
      return item(<AttachmentInput accept={o.accept} maxBytes={o.maxSize} maxCount={o.maxCount} names={p.fileNames} onNamed={p.onFileNamed} disabled={disabled} label={label} />);
    case 'license-ref':
      return item(<LicenseInput types={o.types} disabled={disabled} />, { extra: t('svc.form.licenseHint') });
    default:
      return item(<Input inputMode={INPUT_MODE[f.kind]} disabled={disabled} maxLength={f.node.maxLength} autoComplete="off" />);
  }
}

function TableView(p: ViewProps & { label: string; name: NamePath }) {
  const { t } = useI18n();
  const { field: f, disabled } = p;
  const max = f.options.maxRows as number | undefined;
  return (
    <fieldset className="yl-svc-group">
      <legend>{p.label}</legend>
      <Form.List name={p.name}>
        {(rows, { add, remove }) => (
          <>
            {rows.map((row, i) => (
              <fieldset key={row.key} className="yl-svc-row">
                <legend>{t('svc.form.row', { n: i + 1 })}</legend>
                {f.children.map((c) => <FieldView key={c.name} {...p} field={c} rows={[...p.rows, i]} namePrefix={[row.name]} />)}
                <Button onClick={() => remove(row.name)} disabled={disabled}>{t('svc.form.removeRow', { n: i + 1 })}</Button>
              </fieldset>
            ))}
            {(max === undefined || rows.length < max) && <Button onClick={() => add({})} disabled={disabled}>{t('svc.form.addRow', { name: p.label })}</Button>}
          </>
        )}
      </Form.List>
    </fieldset>
  );
}

/**
 * Puts a problem's form-data errors on the fields they name (the deepest rendered field containing
 * the pointer) and returns the others — materials, or a field the form does not show — for the
 * page to list. Field errors are shown in the language the server answered in (Accept-Language).
 */
export function showFormErrors(form: FormInstance, err: unknown, i18n: Pick<I18n, 't'>, root: 'data' | 'body' = 'data'): { rest: FieldProblem[]; message: string; placed: number } {
  const e = toApiError(err);
  const names = form.getFieldsError().map((x) => x.name as NamePath);
  const byField = new Map<string, { name: NamePath; errors: string[] }>();
  const rest: FieldProblem[] = [];
  for (const fe of e.problem.errors ?? []) {
    const path = dataPath(fe.pointer, root);
    const at = path && fieldFor(path, names);
    if (!at) { rest.push(fe); continue; }
    const k = JSON.stringify(at);
    const entry = byField.get(k) ?? { name: at, errors: [] };
    entry.errors.push(fe.message);
    byField.set(k, entry);
  }
  form.setFields([...byField.values()]);
  return { rest, message: errorMessage(err, i18n), placed: byField.size };
}
