// Public reading: the items in force in a division (by life event, by search), and one guide.
import type { Executor } from '../../../core/db/types.js';
import { AppError, type Lang } from '../../../core/http/errors.js';
import { LIFE_EVENT_KEYS } from './schema.js';
import { chainOf, findItem, listResolved, resolveVersion } from './repo.js';
import { searchQuery, searchText } from './search.js';
import { toItemGuide, type ItemGuide } from './contract.js';

export interface ItemSummary {
  id: string; key: string; code: string; basicCode: string; name: string; division: string; version: number;
  itemType: string; handling: 'instant' | 'promised'; legalDays: number; promisedDays: number;
  department: { code: string; name: string }; lifeEvents: string[]; onlineDepth: number; visits: number;
}

export interface ItemPage { items: ItemSummary[]; total: number; page: number; pageSize: number }

const badQuery = (lang: Lang, pointer: string, zh: string, en: string) =>
  new AppError('VALIDATION_FAILED', undefined, [{ pointer, code: 'enum', message: lang === 'en' ? en : zh }]);

export async function listItems(ex: Executor, q: { division: string; lifeEvent?: string; q?: string; page?: number; pageSize?: number }, lang: Lang): Promise<ItemPage> {
  const chain = chainOf(q.division);
  if (!chain.length) throw new AppError('DIVISION_NOT_FOUND');
  if (q.lifeEvent && !(LIFE_EVENT_KEYS as readonly string[]).includes(q.lifeEvent)) {
    throw badQuery(lang, '/query/lifeEvent', `「主题分类」只能是：${LIFE_EVENT_KEYS.join('、')}`, `lifeEvent must be one of: ${LIFE_EVENT_KEYS.join(', ')}`);
  }
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 20;
  const tsq = q.q?.trim() ? searchQuery(q.q) : null;
  // A search box entry with nothing searchable in it (only punctuation) finds nothing, not everything.
  if (q.q?.trim() && !tsq) return { items: [], total: 0, page, pageSize };
  const filter = { chain, lifeEvent: q.lifeEvent, q: tsq, text: tsq ? searchText(q.q!) : q.q };
  const { rows } = await listResolved(ex, { ...filter, limit: pageSize, offset: (page - 1) * pageSize });
  // The total rides on each row (count(*) OVER ()); a page past the end has no row to carry it.
  const total = rows[0]?.total ?? (page > 1 ? ((await listResolved(ex, { ...filter, limit: 1, offset: 0 })).rows[0]?.total ?? 0) : 0);
  return {
    page, pageSize, total,
    items: rows.map((r) => {
      const e = r.elements as { onlineDepth: number; visits: number };
      return {
        id: r.id, key: r.key, code: r.code, basicCode: r.basic_code, name: r.name, division: r.division, version: r.version, itemType: r.item_type,
        handling: r.handling, legalDays: r.legal_days, promisedDays: r.promised_days, department: { code: r.department_code, name: r.department_name },
        lifeEvents: r.life_events, onlineDepth: e.onlineDepth, visits: e.visits,
      };
    }),
  };
}

/** The guide of the item in force in `division`; 404 when none (unknown, withdrawn, or not implemented there). */
export async function itemGuide(ex: Executor, key: string, division: string): Promise<ItemGuide> {
  const chain = chainOf(division);
  if (!chain.length) throw new AppError('DIVISION_NOT_FOUND');
  const notFound = new AppError('NOT_FOUND', { 'zh-CN': `事项 ${key} 在行政区划 ${division} 不存在或未实施`, en: `No service item ${key} in force in ${division}` });
  const item = await findItem(ex, { key });
  if (!item) throw notFound;
  const row = await resolveVersion(ex, item.id, chain);
  if (!row) throw notFound;
  return toItemGuide(row);
}
