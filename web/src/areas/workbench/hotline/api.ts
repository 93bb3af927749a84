// The hotline's data for the screens (shared by the workbench and the portal). The order routes
// take loosely typed bodies and declare no response schema (the services validate meaning), so
// their shapes are written down here once, mirroring src/modules/hotline/views.ts; the console
// routes are fully typed from the OpenAPI document.
import { api, unwrap } from '../../../api/client';

export interface Order {
  id: string;
  number: string;
  division: string;
  channel: string;
  demandType: string;
  category: { code: string; path: string };
  title: string;
  content: string;
  urgency: 'normal' | 'urgent';
  caller: { name: string | null; phone: string | null; anonymous: boolean };
  location: { division: string; address: string | null; lat: number | null; lng: number | null };
  status: string;
  refusal: { code: string; note: string | null } | null;
  caseId: string | null;
  unitDepartmentId: string | null;
  forced: boolean;
  returnCount: number;
  reopenCount: number;
  dueAt: string | null;
  signedAt: string | null;
  repliedAt: string | null;
  reply: string | null;
  closedAt: string | null;
  satisfaction: string | null;
  mergedInto: string | null;
  transferSuggested: boolean;
  coHandlers: Array<{ departmentId: string; status: string; reply: string | null }>;
  createdAt: string;
  updatedAt: string;
}

export interface Duplicate { id: string; number: string; similarity: number; sameCaller: boolean }
export interface IntakeResult { order: Order; duplicates: Duplicate[]; transferSuggested: boolean; emergencyWords: string[]; created: boolean }
export interface Category { code: string; name: string; path: string; parent: string | null; leaf: boolean }
export interface Vocabulary { channels: string[]; demandTypes: string[]; refusalReasons: Record<string, string>; returnReasons: Record<string, string> }
export interface KbHit { id: string; title: string; titleHighlight: string; kind: string }
export interface KbEntry { id: string; title: string; content: string; issuingUnit: string; kind: string; categoryPath: string }
export interface Suggestion { departmentId: string; name: string; source: 'rule' | 'model'; probability: number | null }
export interface ChatMessage { from: 'citizen' | 'bot'; text: string; at: string; kind?: 'answer' | 'clarify' | 'no-answer'; sources?: Array<{ id: string; title: string }> }
export interface Stats {
  orders: number; refused: number; overdueOpen: number; onTimeRate: number | null; replied: number;
  responseHours: number | null; signed: number; satisfactionRate: number | null; callbacks: number;
  hotCategories: Record<string, number>; byStatus: Record<string, number>;
}

/** Order states that still need someone's work (the 督办 ladder runs on these). */
export const OPEN = ['accepted', 'dispatched', 'returned', 'handling', 'extension', 'review', 'callback'];

// The untyped routes (no response schema): one cast here instead of at every call.
const get = <T>(path: string, query?: Record<string, string | number>): Promise<T> =>
  unwrap((api.GET as unknown as (p: string, o: unknown) => Promise<{ data?: T; error?: unknown; response: Response }>)(path, { params: { query } }));
const post = <T>(path: string, body: unknown, headers?: Record<string, string>): Promise<T> =>
  unwrap((api.POST as unknown as (p: string, o: unknown) => Promise<{ data?: T; error?: unknown; response: Response }>)(path, { body, headers }));

let categoryCache: Promise<Category[]> | null = null;

export const hl = {
  vocabulary: () => get<Vocabulary>('/api/hotline/vocabulary'),
  categories: () => (categoryCache ??= get<{ items: Category[] }>('/api/hotline/categories').then((r) => r.items).catch((e: unknown) => { categoryCache = null; throw e; })),
  list: (view: 'hotline' | 'unit' | 'mine', status?: string) => get<{ total: number; items: Order[] }>('/api/hotline/orders', { view, limit: 200, offset: 0, ...(status ? { status } : {}) }),
  order: (id: string) => get<Order>(`/api/hotline/orders/${id}`),
  create: (body: unknown, key: string) => post<IntakeResult>('/api/hotline/orders', body, { 'idempotency-key': key }),
  step: (id: string, action: string, body: unknown = {}) => post<Order>(`/api/hotline/orders/${id}/${action}`, body),
  suggestions: (id: string) => get<{ items: Suggestion[] }>(`/api/hotline/orders/${id}/dispatch-suggestions`),
  kbSuggest: (q: string) => get<{ items: KbHit[] }>('/api/hotline/kb/suggest', { q }),
  kbEntry: (id: string) => get<KbEntry>(`/api/hotline/kb/${id}`),
  stats: (division: string, from: string, to: string) => get<Stats>('/api/hotline/stats', { division, from, to }),
  chat: (body: { chatId?: string; division?: string; message: string }) => post<{ chatId: string; reply: ChatMessage }>('/api/hotline/chat', body),
  chatOrder: (chatId: string, body: unknown) => post<IntakeResult>(`/api/hotline/chat/${chatId}/order`, body),
  callerHistory: (phone: string) => unwrap(api.GET('/api/hotline/console/caller-history', { params: { query: { phone } } })),
  duplicates: (body: { phone?: string; division: string; categoryCode: string; text: string }) => unwrap(api.POST('/api/hotline/console/duplicates', { body })),
  units: () => unwrap(api.GET('/api/hotline/console/units')),
  history: (id: string) => unwrap(api.GET('/api/hotline/console/orders/{id}/history', { params: { path: { id } } })),
};

export type History = Awaited<ReturnType<typeof hl.history>>;

/** A fresh Idempotency-Key per form submission (a retry of the same submission reuses it). */
export const newKey = (): string => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`);

/** Today and 30 days back, as Beijing dates (the stats route's period). */
export function lastDays(days: number, now = new Date()): { from: string; to: string } {
  const bj = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  return { from: bj(new Date(now.getTime() - days * 86_400_000)), to: bj(now) };
}

/** The division a staff member works in: their hotline grant's, else their first scope. */
export function homeDivision(user: { grants: Array<{ role: string; division: string }>; scopes: string[] } | null): string {
  if (!user) return '';
  return user.grants.find((g) => g.role.startsWith('hotline'))?.division ?? user.grants[0]?.division ?? user.scopes[0] ?? '';
}
