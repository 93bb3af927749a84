// Files on a case: attached through the files engine, owned by the case, so that whoever may see
// the case may download them and nobody else can.
import type { Core } from '../../core/index.js';
import type { Executor } from '../../core/db/types.js';
import type { Actor } from '../../core/audit/record.js';
import { attachFiles, registerFileOwner } from '../files/index.js';
import type { InstanceRow } from './transitions.js';
import { maySee } from './access.js';

export const OWNER_TYPE = 'workflow.instance';

export async function attachToCase(ex: Executor, actor: Actor, ids: string[], row: InstanceRow): Promise<void> {
  await attachFiles(ex, actor, ids, { type: OWNER_TYPE, id: row.id, division: row.division }, { pointer: (i) => `/attachments/${i}` });
}

export function registerCaseFiles(): void {
  registerFileOwner(OWNER_TYPE, async (core: Core, principal, ownerId) => {
    const row = await core.db.selectFrom('wf_instance').select(['division', 'applicant']).where('id', '=', ownerId).executeTakeFirst();
    return !!row && maySee(principal, row);
  });
}
