// The admin list of workflow definitions and the validate-only check, through the real routes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { makeWorld, fixture, type World } from './fixtures/world.js';
import { applies } from './admin-routes.js';

let w: World;
beforeAll(async () => {
  w = await makeWorld();
});
afterAll(() => w?.close());

describe('workflow definitions for the admin screens', () => {
  it('a definition applies in its own subtree and to the divisions below it only', () => {
    expect(applies('530000', ['530102'])).toBe(true);
    expect(applies('530100', ['530102'])).toBe(true);
    expect(applies('530102', ['530100'])).toBe(true);
    expect(applies('530300', ['530100'])).toBe(false);
    expect(applies('530302', ['530102'])).toBe(false);
  });

  it('validates without publishing, listing every problem with its pointer', async () => {
    const def = (await fixture('sample-approval.yaml')) as Record<string, unknown>;
    const before = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM wf_definition`.execute(w.core.db)).rows[0]!.n;
    expect(await w.ok('km_admin', 'POST', '/api/workflow/definitions/validate', { definition: def })).toEqual({ valid: true, errors: [] });
    const broken = { ...def, initial: 'nowhere', states: (def.states as unknown[]).slice(0, 1) };
    const r = await w.ok('km_admin', 'POST', '/api/workflow/definitions/validate', { definition: broken });
    expect(r.valid).toBe(false);
    expect(r.errors.length).toBeGreaterThan(0);
    expect(r.errors.every((e: { pointer: string }) => e.pointer.startsWith('/definition'))).toBe(true);
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM wf_definition`.execute(w.core.db)).rows[0]!.n).toBe(before);
    // A clerk reads tasks, not definitions.
    expect((await w.call('clerk1', 'POST', '/api/workflow/definitions/validate', { definition: def })).statusCode).toBe(403);
  });

  it('lists the newest version per key and division that applies to the caller, not another prefecture\'s', async () => {
    const def = (await fixture('sample-approval.yaml')) as { key: string };
    await w.ok('admin', 'POST', '/api/workflow/definitions', { division: '530000', definition: def }, 201);
    await w.ok('admin', 'POST', '/api/workflow/definitions', { division: '530000', definition: def }, 201);
    await w.ok('admin', 'POST', '/api/workflow/definitions', { division: '530302', definition: def }, 201);
    const km = await w.ok('km_admin', 'GET', '/api/workflow/definitions');
    const mine = km.items.filter((i: { key: string }) => i.key === def.key);
    expect(mine).toEqual([expect.objectContaining({ key: def.key, division: '530000', latestVersion: 2, versions: 2, status: 'published' })]);
    const all = await w.ok('admin', 'GET', '/api/workflow/definitions');
    expect(all.items.filter((i: { key: string }) => i.key === def.key).map((i: { division: string }) => i.division)).toEqual(['530000', '530302']);
  });
});
