// The apply wizard's draft: saved on the server per account + item (so a phone and a PC resume
// the same one) and copied to this browser's localStorage on every change (so a lost network or a
// closed tab never loses what was typed). On opening, the newer of the two wins.
import { api } from '../../../api/client';
import { ApiError, toApiError } from '../../../api/problem';

export type Kind = 'item' | 'bundle';
export interface MaterialChoice { fileIds?: string[]; license?: { type: string; id: string } }
export interface WizardState {
  step: number;
  data: Record<string, unknown>;
  materials: Record<string, MaterialChoice>;
  fileNames: Record<string, string>;
  /** The idempotency key of this application: a retried submission after a network failure reuses it. */
  submitKey: string;
}
export interface Saved extends WizardState { savedAt: string; where: 'server' | 'local' }

const LOCAL = (kind: Kind, key: string) => `yl.svc.draft.${kind}:${key}`;

export function readLocal(kind: Kind, key: string): Saved | null {
  try {
    const s = localStorage.getItem(LOCAL(kind, key));
    return s ? { ...(JSON.parse(s) as Saved), where: 'local' } : null;
  } catch {
    return null;
  }
}

export function writeLocal(kind: Kind, key: string, state: WizardState): void {
  try {
    localStorage.setItem(LOCAL(kind, key), JSON.stringify({ ...state, savedAt: new Date().toISOString() }));
  } catch {
    /* storage full or disabled: the server copy still works */
  }
}

export function clearLocal(kind: Kind, key: string): void {
  try { localStorage.removeItem(LOCAL(kind, key)); } catch { /* nothing to clear */ }
}

interface ServerDraft { step: number; data: Record<string, unknown>; materials: Record<string, unknown>; updatedAt: string }

export async function readServer(kind: Kind, key: string): Promise<Saved | null> {
  const r = await api.GET('/api/services/drafts/{kind}/{key}', { params: { path: { kind, key } } }).catch((e: unknown) => { throw toApiError(e); });
  if (r.response.status === 404) return null;
  if (!r.response.ok || !r.data) throw new ApiError('server', r.response.status);
  const d = r.data as ServerDraft;
  const m = d.materials as { choices?: Record<string, MaterialChoice>; fileNames?: Record<string, string>; submitKey?: string };
  return { step: d.step, data: d.data, materials: m.choices ?? {}, fileNames: m.fileNames ?? {}, submitKey: m.submitKey ?? '', savedAt: d.updatedAt, where: 'server' };
}

export async function writeServer(kind: Kind, key: string, division: string, title: string, s: WizardState): Promise<string> {
  const r = await api.PUT('/api/services/drafts/{kind}/{key}', {
    params: { path: { kind, key } },
    body: { division, title, step: s.step, data: s.data, materials: { choices: s.materials, fileNames: s.fileNames, submitKey: s.submitKey } },
  }).catch((e: unknown) => { throw toApiError(e); });
  if (!r.response.ok || !r.data) throw new ApiError('server', r.response.status, (r.error ?? {}) as object);
  return r.data.updatedAt;
}

export async function deleteServer(kind: Kind, key: string): Promise<void> {
  await api.DELETE('/api/services/drafts/{kind}/{key}', { params: { path: { kind, key } } }).catch(() => undefined);
}

/** The newer of the two copies (the server's on a tie: it is what another device saw). */
export function newer(a: Saved | null, b: Saved | null): Saved | null {
  if (!a) return b;
  if (!b) return a;
  return Date.parse(b.savedAt) > Date.parse(a.savedAt) ? b : a;
}
