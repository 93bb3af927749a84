// Controls for the forms engine's field kinds that are more than one input: a division picker
// (cascading selects over GET /api/divisions), an address (division + detail), a date range,
// attachments (uploaded to /api/files; the value is the file ids), an e-license reference (from the
// wallet, or typed). Each takes `id`, `value`, `onChange` as antd's Form.Item passes them.
import { useEffect, useState } from 'react';
import { Button, Input, Select, Space } from 'antd';
import { api, unwrap } from '../../api/client';
import { errorMessage } from '../../api/problem';
import { useI18n } from '../../i18n';
import { divisionChain } from './schema';

type Div = { code: string; name: string; level: string };
const cache = new Map<string, Promise<Div[]>>();
function children(parent: string | null): Promise<Div[]> {
  const key = parent ?? '';
  if (!cache.has(key)) {
    const p = unwrap(api.GET('/api/divisions', { params: { query: parent ? { parent } : {} } })).then((r) => r.items as Div[]);
    p.catch(() => cache.delete(key));
    cache.set(key, p);
  }
  return cache.get(key)!;
}

const LEVEL_DEPTH: Record<string, number> = { province: 1, prefecture: 2, county: 3, township: 4, village: 5 };

export function DivisionSelect({ id, value, onChange, within, levels, disabled }: {
  id?: string; value?: string; onChange?: (v: string | undefined) => void; within?: string; levels?: string[]; disabled?: boolean;
}) {
  const { t } = useI18n();
  const root = within ?? null;
  const chain = divisionChain(value, root);
  const maxDepth = Math.max(...(levels ?? ['county']).map((l) => LEVEL_DEPTH[l] ?? 3));
  const rootDepth = root ? (root.endsWith('0000') ? 1 : root.endsWith('00') ? 2 : 3) : 0;
  const parents = [root, ...chain].slice(0, Math.max(1, maxDepth - rootDepth));
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {parents.map((parent, i) => (
        <Level key={`${parent ?? 'top'}-${i}`} id={i === 0 ? id : undefined} parent={parent} disabled={disabled}
          label={t('svc.form.divisionLevel', { n: i + 1 })} value={chain[i]}
          onChange={(code) => onChange?.(code ?? (i > 0 ? chain[i - 1] : undefined))} />
      ))}
    </Space>
  );
}

function Level({ id, parent, value, onChange, label, disabled }: { id?: string; parent: string | null; value?: string; onChange(v?: string): void; label: string; disabled?: boolean }) {
  const [items, setItems] = useState<Div[]>([]);
  useEffect(() => {
    let live = true;
    children(parent).then((d) => live && setItems(d), () => live && setItems([]));
    return () => { live = false; };
  }, [parent]);
  if (parent && items.length === 0 && !value) return null;
  return (
    <Select id={id} aria-label={label} placeholder={label} value={value} allowClear disabled={disabled} showSearch optionFilterProp="label"
      style={{ width: '100%' }} onChange={(v) => onChange(v)} options={items.map((d) => ({ value: d.code, label: d.name }))} />
  );
}

export function AddressInput({ id, value, onChange, options, disabled }: { id?: string; value?: { division?: string; detail?: string }; onChange?: (v: unknown) => void; options: Record<string, any>; disabled?: boolean }) {
  const { t } = useI18n();
  const v = value ?? {};
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <DivisionSelect id={id} value={v.division} within={options.within} levels={options.levels} disabled={disabled} onChange={(division) => onChange?.({ ...v, division })} />
      <Input aria-label={t('svc.form.addressDetail')} placeholder={t('svc.form.addressDetail')} value={v.detail} disabled={disabled}
        maxLength={options.detailMaxLength ?? 200} onChange={(e) => onChange?.({ ...v, detail: e.target.value })} />
    </Space>
  );
}

export function DateRangeInput({ id, value, onChange, disabled }: { id?: string; value?: { start?: string; end?: string }; onChange?: (v: unknown) => void; disabled?: boolean }) {
  const { t } = useI18n();
  const v = value ?? {};
  return (
    <Space wrap>
      <Input id={id} type="date" aria-label={t('svc.form.start')} value={v.start ?? ''} disabled={disabled} onChange={(e) => onChange?.({ ...v, start: e.target.value })} />
      <span aria-hidden="true">—</span>
      <Input type="date" aria-label={t('svc.form.end')} value={v.end ?? ''} disabled={disabled} onChange={(e) => onChange?.({ ...v, end: e.target.value })} />
    </Space>
  );
}

export interface UploadedFile { id: string; name: string; size: number; mime: string }

/** Uploads one file (the body is the file, not multipart). */
export async function uploadFile(file: File, opts: { accept?: string[]; maxBytes?: number } = {}): Promise<UploadedFile> {
  const query: Record<string, string | number> = {};
  if (opts.accept?.length) query.accept = opts.accept.join(',');
  if (opts.maxBytes) query.maxBytes = opts.maxBytes;
  const r = await unwrap(api.PUT('/api/files', {
    params: { query, header: { 'x-file-name': encodeURIComponent(file.name) } },
    body: file as never,
    bodySerializer: (b: unknown) => b as BodyInit,
    headers: { 'content-type': file.type || 'application/octet-stream' },
  }));
  return r as UploadedFile;
}

/** Names of files uploaded in this form, so a resumed draft still shows them (kept in the draft). */
export type FileNames = Record<string, string>;

export function AttachmentInput({ id, value, onChange, accept, maxBytes, maxCount, names, onNamed, disabled, label }: {
  id?: string; value?: string[]; onChange?: (v: string[]) => void; accept?: string[]; maxBytes?: number; maxCount?: number;
  names: FileNames; onNamed(id: string, name: string): void; disabled?: boolean; label: string;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ids = value ?? [];
  const full = maxCount !== undefined && ids.length >= maxCount;
  const pick = async (files: FileList | null) => {
    if (!files?.length) return;
    setBusy(true);
    setError(null);
    const added: string[] = [];
    try {
      for (const f of Array.from(files)) {
        const up = await uploadFile(f, { accept, maxBytes });
        onNamed(up.id, up.name);
        added.push(up.id);
      }
    } catch (err) {
      setError(errorMessage(err, i18n));
    } finally {
      setBusy(false);
      if (added.length) onChange?.([...ids, ...added]);
    }
  };
  return (
    <div>
      {ids.length > 0 && (
        <ul className="yl-svc-files" aria-label={t('svc.form.filesOf', { name: label })}>
          {ids.map((fid, i) => (
            <li key={fid}>
              <span>{names[fid] ?? t('svc.form.fileN', { n: i + 1 })}</span>{' '}
              <Button size="small" type="link" disabled={disabled} aria-label={t('svc.form.removeFile', { name: names[fid] ?? String(i + 1) })}
                onClick={() => onChange?.(ids.filter((x) => x !== fid))}>{t('svc.form.remove')}</Button>
            </li>
          ))}
        </ul>
      )}
      {!full && (
        <input id={id} type="file" multiple={maxCount !== 1} disabled={disabled || busy} accept={accept?.join(',')}
          onChange={(e) => { void pick(e.target.files); e.target.value = ''; }} />
      )}
      <div role="status" aria-live="polite" className="yl-secondary">{busy ? t('svc.form.uploading') : ''}</div>
      {error && <div role="alert" className="yl-svc-error">{error}</div>}
    </div>
  );
}

export interface WalletLicense { identifier: string; typeCode: string; licenseNumber: string; holder: { name: string }; issuer: { name: string }; status: string }

let wallet: Promise<WalletLicense[]> | null = null;
export function myWallet(): Promise<WalletLicense[]> {
  wallet ??= unwrap(api.GET('/api/licenses/mine')).then((r) => r.items as WalletLicense[]).catch(() => { wallet = null; return []; });
  return wallet;
}

export function useWallet(types: string[] | undefined): WalletLicense[] {
  const [items, setItems] = useState<WalletLicense[]>([]);
  const key = (types ?? []).join(',');
  useEffect(() => {
    let live = true;
    myWallet().then((all) => live && setItems(all.filter((l) => l.status === 'valid' && (!types?.length || types.includes(l.typeCode)))));
    return () => { live = false; };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return items;
}

export function LicenseInput({ id, value, onChange, types, disabled }: { id?: string; value?: { typeCode?: string; identifier?: string }; onChange?: (v: unknown) => void; types?: string[]; disabled?: boolean }) {
  const { t } = useI18n();
  const held = useWallet(types);
  const v = value ?? {};
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {held.length > 0 && (
        <Select aria-label={t('svc.form.fromWallet')} placeholder={t('svc.form.fromWallet')} value={held.some((l) => l.identifier === v.identifier) ? v.identifier : undefined}
          disabled={disabled} allowClear style={{ width: '100%' }}
          options={held.map((l) => ({ value: l.identifier, label: `${l.licenseNumber} · ${l.issuer.name}` }))}
          onChange={(identifier?: string) => { const l = held.find((x) => x.identifier === identifier); onChange?.(l ? { typeCode: l.typeCode, identifier: l.identifier } : {}); }} />
      )}
      <Input id={id} aria-label={t('svc.form.licenseId')} placeholder={t('svc.form.licenseId')} value={v.identifier ?? ''} disabled={disabled}
        onChange={(e) => onChange?.({ typeCode: v.typeCode ?? types?.[0], identifier: e.target.value })} />
    </Space>
  );
}
