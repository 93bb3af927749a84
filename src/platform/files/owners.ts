// Who may read a file once it belongs to a case or record is for the owning module to say: it
// registers a check per owner type (the workflow engine: `workflow.instance`). No check, no access.
import type { Core } from '../../core/index.js';
import type { Principal } from '../../core/http/auth.js';

export type FileOwnerCheck = (core: Core, principal: Principal, ownerId: string) => Promise<boolean>;

const owners = new Map<string, FileOwnerCheck>();

/** Registers (or replaces) the access check for files owned by `type` records. */
export function registerFileOwner(type: string, check: FileOwnerCheck): void {
  if (!/^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)+$/.test(type)) throw new RangeError(`owner type must look like module.record, got ${type}`);
  owners.set(type, check);
}

export function ownerCheck(type: string): FileOwnerCheck | undefined {
  return owners.get(type);
}
