// Shared bits of the 一网通办 pages: the division the visitor browses in (remembered), the status
// and outcome labels, the audience of each life event, and the typed shapes of answers the
// OpenAPI document leaves open.
import { useCallback, useEffect, useState } from 'react';
import { Select } from 'antd';
import { api, unwrap } from '../../../api/client';
import { useI18n, type MessageKey } from '../../../i18n';

const DIVISION_KEY = 'yl.svc.division';
/** 昆明市: the demo pack implements its items there and in 五华区. */
export const DEFAULT_DIVISION = '530100';

export function useServiceDivision(): [string, (d: string) => void] {
  const [division, setDivision] = useState(() => {
    try { return localStorage.getItem(DIVISION_KEY) ?? DEFAULT_DIVISION; } catch { return DEFAULT_DIVISION; }
  });
  const set = useCallback((d: string) => {
    setDivision(d);
    try { localStorage.setItem(DIVISION_KEY, d); } catch { /* private mode: not remembered */ }
  }, []);
  return [division, set];
}

/** The prefecture and its counties (the places the portal offers), for the "办理地区" picker. */
export function DivisionPicker({ value, onChange, id }: { value: string; onChange(d: string): void; id?: string }) {
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  const prefecture = value.slice(0, 4) + '00';
  useEffect(() => {
    let live = true;
    Promise.all([unwrap(api.GET('/api/divisions/{code}', { params: { path: { code: prefecture } } })), unwrap(api.GET('/api/divisions', { params: { query: { parent: prefecture } } }))])
      .then(([p, kids]) => live && setOptions([{ value: p.code, label: p.name }, ...kids.items.map((k) => ({ value: k.code, label: k.name }))]))
      .catch(() => live && setOptions([{ value, label: value }]));
    return () => { live = false; };
  }, [prefecture]);
  return <Select id={id} value={value} onChange={onChange} options={options} style={{ minWidth: 160 }} showSearch optionFilterProp="label" />;
}

export const STATUS_KEY: Record<string, MessageKey> = {
  submitted: 'svc.status.submitted', processing: 'svc.status.processing', correction: 'svc.status.correction', completed: 'svc.status.completed',
};
export const OUTCOME_KEY: Record<string, MessageKey> = {
  approved: 'svc.outcome.approved', refused: 'svc.outcome.refused', rejected: 'svc.outcome.rejected', withdrawn: 'svc.outcome.withdrawn',
};

export function useStatusText() {
  const { t } = useI18n();
  return (status: string, outcome?: string | null) => (outcome && OUTCOME_KEY[outcome] ? t(OUTCOME_KEY[outcome]) : STATUS_KEY[status] ? t(STATUS_KEY[status]) : status);
}

export const DEPTH_KEY: MessageKey[] = ['svc.depth.0', 'svc.depth.1', 'svc.depth.2', 'svc.depth.3', 'svc.depth.4'];

export interface MaterialInfo {
  id: string; name: string; required: boolean; source: string; copies: number; licenseType?: string; accept: string[]; maxBytes: number; note?: string;
}

export interface Summary {
  id: string; number: string; bundleKey: string | null; itemKey: string; itemName: string; division: string; handlingDivision: string;
  channel: string; status: string; state: string | null; outcome: string | null; submittedAt: string; updatedAt: string; completedAt: string | null;
}

export interface Correction { materialId?: string; field?: string; note: string }

export interface Detail extends Summary {
  data: Record<string, unknown>;
  materials: Array<{ materialId: string; name: string; fileIds?: string[]; license?: { type: string; id: string } | null }>;
  result: { fileId?: string | null; text?: string | null; reasons?: string | null; legalBasis?: string | null; partial?: boolean } | null;
  case: null | {
    state: string; status: string; outcome: string | null; dueAt: string | null; paused: boolean; rowVersion: number;
    corrections: Correction[] | null;
    history: Array<{ at: string; kind: string; action: string | null; from: string | null; to: string | null; comment: string | null }>;
  };
  children: Summary[];
}

/** Downloads a file the caller may read (bearer token: a plain link would not carry it). */
export async function downloadFile(id: string, name: string): Promise<void> {
  const r = await api.GET('/api/files/{id}', { params: { path: { id }, query: { disposition: 'attachment' } }, parseAs: 'blob' });
  if (!r.response.ok || !r.data) throw new Error(String(r.response.status));
  const url = URL.createObjectURL(r.data as Blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const newKey = (): string => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`);
