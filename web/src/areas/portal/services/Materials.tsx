// Step 2 of the apply wizard: each material uploaded (to /api/files), or — where an e-license the
// person holds can replace it — referenced from the wallet instead. Errors from the server
// (`/body/materials/<i>/…`) are shown under the material they name.
import { Radio } from 'antd';
import { useI18n } from '../../../i18n';
import { AttachmentInput, useWallet } from '../../../shared/forms/widgets';
import type { MaterialInfo } from './common';
import type { MaterialChoice } from './wizardDraft';

export function MaterialsStep({ materials, value, onChange, fileNames, onFileNamed, errors }: {
  materials: MaterialInfo[]; value: Record<string, MaterialChoice>; onChange(v: Record<string, MaterialChoice>): void;
  fileNames: Record<string, string>; onFileNamed(id: string, name: string): void; errors: Record<string, string[]>;
}) {
  const { t } = useI18n();
  if (materials.length === 0) return <p>{t('svc.apply.noMaterials')}</p>;
  return (
    <ol className="yl-svc-materials">
      {materials.map((m) => (
        <li key={m.id}>
          <MaterialRow m={m} choice={value[m.id] ?? {}} onChange={(c) => onChange({ ...value, [m.id]: c })} fileNames={fileNames} onFileNamed={onFileNamed} errors={errors[m.id] ?? []} />
        </li>
      ))}
    </ol>
  );
}

function MaterialRow({ m, choice, onChange, fileNames, onFileNamed, errors }: {
  m: MaterialInfo; choice: MaterialChoice; onChange(c: MaterialChoice): void; fileNames: Record<string, string>; onFileNamed(id: string, name: string): void; errors: string[];
}) {
  const { t } = useI18n();
  const held = useWallet(m.licenseType ? [m.licenseType] : ['-none-']);
  const usable = m.licenseType ? held : [];
  const mode = choice.license ? 'license' : 'upload';
  const inputId = `mat-${m.id}`;
  const errId = `${inputId}-err`;
  return (
    <fieldset className="yl-svc-group" aria-describedby={errors.length ? errId : undefined}>
      <legend>{m.name} {m.required ? <span className="yl-svc-tag">{t('svc.material.required')}</span> : <span className="yl-svc-tag yl-svc-tag-muted">{t('svc.material.optional')}</span>}</legend>
      <p className="yl-secondary">{t('svc.material.accept', { types: m.accept.join('、') || '*', mb: Math.round((m.maxBytes / 1048576) * 10) / 10 })}</p>
      {usable.length > 0 && (
        <Radio.Group aria-label={t('svc.material.how', { name: m.name })} value={mode}
          onChange={(e) => onChange(e.target.value === 'license' ? { license: { type: usable[0]!.typeCode, id: usable[0]!.identifier } } : { fileIds: [] })}
          options={[{ value: 'upload', label: t('svc.material.upload') }, { value: 'license', label: t('svc.material.useLicense') }]} />
      )}
      {mode === 'license' && choice.license ? (
        <Radio.Group aria-label={t('svc.material.whichLicense')} value={choice.license.id}
          onChange={(e) => { const l = usable.find((x) => x.identifier === e.target.value); if (l) onChange({ license: { type: l.typeCode, id: l.identifier } }); }}
          options={usable.map((l) => ({ value: l.identifier, label: `${l.licenseNumber} · ${l.issuer.name}` }))} />
      ) : (
        <div>
          <label htmlFor={inputId} className="yl-svc-label">{t('svc.material.choose', { name: m.name })}</label>
          <AttachmentInput id={inputId} value={choice.fileIds ?? []} onChange={(fileIds) => onChange({ fileIds })} accept={m.accept} maxBytes={m.maxBytes} maxCount={20}
            names={fileNames} onNamed={onFileNamed} label={m.name} />
        </div>
      )}
      {errors.length > 0 && <div id={errId} role="alert" className="yl-svc-error">{errors.join('；')}</div>}
    </fieldset>
  );
}
