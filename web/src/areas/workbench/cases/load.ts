// Loading one case for the workbench: the workflow case (state, tasks, allowed actions, history),
// its definition version (to know what each action's target state means), and — for a 办件 —
// the application behind it (form data, materials, result), its item guide and form.
import { api, unwrap } from '../../../api/client';
import { ApiError } from '../../../api/problem';
import type { ApplicationView, CaseView, Definition } from './types';

export interface CaseBundle {
  view: CaseView;
  definition: Definition | undefined;
  application: ApplicationView | null;
  form: { schema: Record<string, unknown>; uiSchema: Record<string, unknown> } | null;
  materials: Array<{ id: string; name: string; required: boolean; licenseType?: string | null }>;
  workingDaysLeft: number | null;
}

const beijingDay = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

async function optional<T>(p: Promise<T>): Promise<T | null> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof ApiError && err.kind !== 'network' && err.kind !== 'server') return null;
    throw err;
  }
}

/** Working days from tomorrow up to the due day (inclusive) on the division's calendar; negative when overdue. */
async function workingDaysLeft(dueAt: string, division: string): Promise<number | null> {
  const now = new Date();
  const due = new Date(dueAt);
  const overdue = due < now;
  const [from, to] = overdue ? [beijingDay(due), beijingDay(now)] : [beijingDay(now), beijingDay(due)];
  if (from === to) return 0;
  const days = await optional(unwrap(api.GET('/api/calendar/days', { params: { query: { from, to, division } } })));
  if (!days) return null;
  const n = days.items.filter((d) => d.working && d.date !== from).length;
  return overdue ? -n : n;
}

export async function loadCase(id: string): Promise<CaseBundle> {
  const view = (await unwrap(api.GET('/api/workflow/instances/{id}', { params: { path: { id } } }))) as unknown as CaseView;
  const item = view.data.item as { key?: string } | undefined;
  const [versions, application, daysLeft] = await Promise.all([
    optional(unwrap(api.GET('/api/workflow/definitions/{key}/versions', { params: { path: { key: view.key }, query: { division: view.division } } }))),
    // A 办件's case: the application is found by its case id (404 → not an application's case).
    item?.key ? optional(unwrap(api.GET('/api/services/applications/{id}', { params: { path: { id: view.id } } })) as Promise<unknown> as Promise<ApplicationView>) : Promise.resolve(null),
    view.dueAt && view.status !== 'completed' ? workingDaysLeft(view.dueAt, view.division) : Promise.resolve(null),
  ]);
  const def = versions?.items.find((d) => d.version === view.version && d.division === view.definitionDivision) ?? versions?.items[0];
  let form: CaseBundle['form'] = null;
  let materials: CaseBundle['materials'] = [];
  if (application) {
    const guide = await optional(unwrap(api.GET('/api/services/items/{key}', { params: { path: { key: application.itemKey }, query: { division: application.handlingDivision } } })));
    materials = ((guide?.materials ?? []) as Array<{ id: string; name: string; required: boolean; licenseType?: string | null }>);
    if (guide?.formKey) {
      const f = await optional(unwrap(api.GET('/api/forms/{key}', { params: { path: { key: guide.formKey }, query: { division: application.handlingDivision } } })));
      if (f) form = { schema: f.schema as Record<string, unknown>, uiSchema: (f.uiSchema ?? {}) as Record<string, unknown> };
    }
  }
  return { view, definition: def?.definition as Definition | undefined, application, form, materials, workingDaysLeft: daysLeft };
}
