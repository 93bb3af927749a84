import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { freshDatabase, type TestDatabase } from '../../../test/db.js';
import { getDivision } from '../divisions/service.js';
import { civilDay, nextCaseNumber, parseCaseNumber } from './index.js';

let d: TestDatabase;

// A stand-in for a module's case table: the number is stored in the same transaction that takes it.
async function registerCase(opts: { division?: string; at?: string; prefix?: string; fail?: boolean } = {}): Promise<string> {
  return d.db.transaction().execute(async (tx) => {
    const number = await nextCaseNumber(tx, { prefix: opts.prefix ?? 'YN', division: opts.division ?? '530102', at: new Date(opts.at ?? '2026-11-26T10:00:00+08:00'), calendarTz: 'Asia/Shanghai' });
    await sql`INSERT INTO numbered_case (number) VALUES (${number})`.execute(tx);
    if (opts.fail) throw new Error(`rolled back ${number}`);
    return number;
  });
}

beforeAll(async () => {
  d = await freshDatabase();
  await sql`CREATE TABLE numbered_case (number text PRIMARY KEY)`.execute(d.db);
});
afterAll(() => d.close());

describe('nextCaseNumber', () => {
  it('numbers cases per division and Beijing day from 000001, six digits wide', async () => {
    expect(await registerCase()).toBe('YN530102-20261126-000001');
    expect(await registerCase()).toBe('YN530102-20261126-000002');
    expect(await registerCase({ division: '530103' })).toBe('YN530103-20261126-000001');
    expect(await registerCase({ prefix: 'XK' })).toBe('XK530102-20261126-000001');
    expect(await registerCase()).toBe('YN530102-20261126-000003');
  });

  it('takes the day from Beijing time, not UTC: 23:59 and 00:00 fall on different days', async () => {
    expect(civilDay(new Date('2026-11-26T23:59:00+08:00'))).toBe('2026-11-26');
    // 2026-11-26T16:00Z is already the 27th in Beijing.
    expect(civilDay(new Date('2026-11-26T16:00:00Z'))).toBe('2026-11-27');
    expect(await registerCase({ division: '530111', at: '2026-11-26T23:59:00+08:00' })).toBe('YN530111-20261126-000001');
    expect(await registerCase({ division: '530111', at: '2026-11-27T00:00:00+08:00' })).toBe('YN530111-20261127-000001');
    expect(await registerCase({ division: '530111', at: '2026-11-26T23:59:59.999+08:00' })).toBe('YN530111-20261126-000002');
  });

  it('gives a rolled-back number to the next case', async () => {
    const first = await registerCase({ division: '530112' });
    await expect(registerCase({ division: '530112', fail: true })).rejects.toThrow('rolled back YN530112-20261126-000002');
    expect(await registerCase({ division: '530112' })).toBe('YN530112-20261126-000002');
    expect(first).toBe('YN530112-20261126-000001');
    const stored = await sql<{ number: string }>`SELECT number FROM numbered_case WHERE number LIKE 'YN530112-%' ORDER BY number`.execute(d.db);
    expect(stored.rows.map((r) => r.number)).toEqual(['YN530112-20261126-000001', 'YN530112-20261126-000002']);
  });

  // 50 transactions at once for one division and day; `failEvery` makes every n-th one roll back
  // after it has taken its number. Returns the committed numbers' sequences.
  async function concurrently(division: string, failEvery?: number): Promise<{ committed: number[]; rolledBack: number }> {
    const jobs = Array.from({ length: 50 }, (_, i) => d.db.transaction().execute(async (tx) => {
      const number = await nextCaseNumber(tx, { prefix: 'YN', division, at: new Date('2026-11-26T11:00:00+08:00') });
      // Hold the counter row a little so that the others really queue behind it (PostgreSQL).
      await sql`SELECT pg_sleep(0.005)`.execute(tx);
      await sql`INSERT INTO numbered_case (number) VALUES (${number})`.execute(tx);
      if (failEvery && i % failEvery === failEvery - 1) throw new Error('business rule refused the case');
      return number;
    }));
    const results = await Promise.allSettled(jobs);
    const committed = results.flatMap((r) => (r.status === 'fulfilled' ? [parseCaseNumber(r.value)!.sequence] : [])).sort((a, b) => a - b);
    return { committed, rolledBack: results.filter((r) => r.status === 'rejected').length };
  }
  const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

  it('hands 50 concurrent transactions exactly the numbers 1..50', async () => {
    const { committed, rolledBack } = await concurrently('530113');
    expect(rolledBack).toBe(0);
    expect(committed).toEqual(oneTo(50));
    const stored = await sql<{ n: number }>`SELECT count(DISTINCT number)::int AS n FROM numbered_case WHERE number LIKE 'YN530113-%'`.execute(d.db);
    expect(stored.rows[0]!.n).toBe(50);
  });

  it('leaves no gap when some of the concurrent transactions roll back', async () => {
    const { committed, rolledBack } = await concurrently('530114', 5);
    expect(rolledBack).toBe(10);
    expect(committed).toEqual(oneTo(40));
    expect(await registerCase({ division: '530114', at: '2026-11-26T12:00:00+08:00' })).toBe('YN530114-20261126-000041');
  });

  it('grows past 999999 instead of wrapping', async () => {
    await sql`INSERT INTO case_number_counter (prefix, division, day, n) VALUES ('YN', '530115', '2026-11-26', 999999)`.execute(d.db);
    expect(await registerCase({ division: '530115' })).toBe('YN530115-20261126-1000000');
    expect(parseCaseNumber('YN530115-20261126-1000000')).toEqual({ prefix: 'YN', division: '530115', day: '2026-11-26', sequence: 1000000 });
  });

  it('embeds only a division that exists, in its canonical form, townships included', async () => {
    const township = (await sql<{ code: string }>`SELECT code FROM division WHERE level = 'township' AND code LIKE '530102%' ORDER BY code LIMIT 1`.execute(d.db)).rows[0]!.code;
    const n = await registerCase({ division: township });
    const parsed = parseCaseNumber(n)!;
    expect(parsed.division).toBe(township);
    expect(await getDivision(d.db, parsed.division)).not.toBeNull();
    // The 12-digit statistical form of a county is numbered as the county itself.
    expect(await registerCase({ division: '530102000000' })).toBe('YN530102-20261126-000004');
    await expect(registerCase({ division: '530199' })).rejects.toMatchObject({ code: 'DIVISION_NOT_FOUND' });
    await expect(registerCase({ division: '5301' })).rejects.toMatchObject({ code: 'DIVISION_NOT_FOUND' });
    const none = await sql<{ n: number }>`SELECT count(*)::int AS n FROM case_number_counter WHERE division IN ('530199', '5301')`.execute(d.db);
    expect(none.rows[0]!.n).toBe(0);
  });

  it('refuses to number outside a transaction and refuses a malformed prefix', async () => {
    await expect(nextCaseNumber(d.db, { prefix: 'YN', division: '530102', at: new Date() })).rejects.toThrow('inside the transaction');
    await expect(d.db.transaction().execute((tx) => nextCaseNumber(tx, { prefix: 'yn', division: '530102', at: new Date() }))).rejects.toThrow('prefix');
    expect(parseCaseNumber('YN530102-2026112-000001')).toBeNull();
    expect(parseCaseNumber('YN530100000001-20261126-000001')).toBeNull();
  });
});
