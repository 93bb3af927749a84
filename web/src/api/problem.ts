// RFC 9457 problem+json from the server → what the user sees: a message in their language for the
// page, and each field error next to the field it names (antd Form setFields).
import type { FormInstance } from 'antd';
import type { I18n } from '../i18n';

export interface FieldProblem {
  pointer: string;
  code: string;
  message: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  errors?: FieldProblem[];
}

export type ApiErrorKind = 'network' | 'unauthenticated' | 'forbidden' | 'notFound' | 'validation' | 'server' | 'other';

export class ApiError extends Error {
  constructor(readonly kind: ApiErrorKind, readonly status: number, readonly problem: Problem = {}) {
    super(problem.detail ?? problem.title ?? kind);
    this.name = 'ApiError';
  }
}

export function kindOf(status: number): ApiErrorKind {
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'notFound';
  if (status === 400 || status === 409 || status === 422) return 'validation';
  if (status >= 500) return 'server';
  return 'other';
}

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  // fetch() rejects only when the request never got an answer (offline, DNS, connection reset).
  return new ApiError('network', 0, { detail: err instanceof Error ? err.message : String(err) });
}

/** The message for the page (field errors are shown at their fields). */
export function errorMessage(err: unknown, i18n: Pick<I18n, 't'>): string {
  const e = toApiError(err);
  switch (e.kind) {
    case 'network':
      return i18n.t('error.network');
    case 'unauthenticated':
      return i18n.t('auth.expired');
    case 'forbidden':
      return i18n.t('error.forbidden');
    case 'notFound':
      return i18n.t('error.notFound');
    case 'server':
      return i18n.t('error.server');
    default:
      return i18n.t('error.generic', { detail: e.problem.detail ?? e.problem.title ?? String(e.status) });
  }
}

/** `/body/redirectUris/0` → ['redirectUris', 0] (the request part — body, query, params — is not a field). */
export function pointerPath(pointer: string): (string | number)[] {
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (['body', 'query', 'params'].includes(parts[0] ?? '')) parts.shift();
  return parts.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

type NamePath = (string | number)[];

/**
 * Splits a problem's field errors into those that belong to one of `fields` (the form's field
 * names; an error on `redirectUris/0` belongs to the field `redirectUris`) and the rest.
 */
export function matchFieldErrors(problem: Problem, fields: NamePath[]): { fields: Array<{ name: NamePath; errors: string[] }>; rest: FieldProblem[] } {
  const byField = new Map<string, { name: NamePath; errors: string[] }>();
  const rest: FieldProblem[] = [];
  for (const fe of problem.errors ?? []) {
    const path = pointerPath(fe.pointer);
    const field = fields
      .filter((f) => f.length <= path.length && f.every((seg, i) => String(seg) === String(path[i])))
      .sort((a, b) => b.length - a.length)[0];
    if (!field) {
      rest.push(fe);
      continue;
    }
    const key = JSON.stringify(field);
    const entry = byField.get(key) ?? { name: field, errors: [] };
    entry.errors.push(fe.message);
    byField.set(key, entry);
  }
  return { fields: [...byField.values()], rest };
}

/** Shows the problem's field errors on the form; returns the errors no field of the form names. */
export function showFieldErrors(form: FormInstance, err: unknown): FieldProblem[] {
  const e = toApiError(err);
  const names = form.getFieldsError().map((f) => f.name as NamePath);
  const { fields, rest } = matchFieldErrors(e.problem, names);
  form.setFields(fields);
  return rest;
}
