// How a license row is shown, and how its signature is checked against the stored canonical
// form AND against the columns (so an edited column or an edited canonical text both fail).
import type { Selectable } from 'kysely';
import type { Core } from '../../core/index.js';
import type { Executor } from '../../core/db/types.js';
import { blind } from '../identity/accounts.js';
import { chinaDate, dateText } from './access.js';
import { canonicalize, type LicenseDocument } from './canonical.js';
import { cryptoFor, publicKeyOf } from './keys.js';
import type { LicenseTable } from './tables.js';

export type LicenseRow = Selectable<LicenseTable>;
export type EffectiveStatus = 'valid' | 'expired' | 'revoked' | 'superseded';

export interface LicenseView {
  identifier: string;
  typeCode: string;
  version: number;
  licenseNumber: string;
  holder: { name: string; codeType: '111' | '001'; codeMasked: string };
  issuer: { name: string; code: string };
  division: string;
  issuedOn: string;
  validFrom: string;
  validUntil: string | null;
  status: EffectiveStatus;
  statusReason: string | null;
  supersededBy: string | null;
  faceData: Record<string, unknown>;
  keyId: string;
  caseRef: string | null;
  createdAt: string;
}

/** Blind index of a holder code: the same keyed hash identity uses for ID numbers, so an
 *  account's holder code finds its licenses without decrypting anything. */
export const holderBlindIndex = (core: Core, code: string): string => blind(core, 'id', code.trim().toUpperCase());

export function effectiveStatus(row: Pick<LicenseRow, 'status' | 'valid_until'>, now: Date): EffectiveStatus {
  if (row.status !== 'valid') return row.status;
  const until = dateText(row.valid_until);
  return until && until < chinaDate(now) ? 'expired' : 'valid';
}

export function licenseView(_core: Core, r: LicenseRow, now: Date): LicenseView {
  return {
    identifier: r.identifier, typeCode: r.type_code, version: r.version, licenseNumber: r.license_number,
    holder: { name: r.holder_name, codeType: r.holder_code_type, codeMasked: r.holder_code_masked },
    issuer: { name: r.issuer_name, code: r.issuer_code }, division: r.division,
    issuedOn: dateText(r.issued_on)!, validFrom: dateText(r.valid_from)!, validUntil: dateText(r.valid_until),
    status: effectiveStatus(r, now), statusReason: r.status_reason, supersededBy: r.superseded_by,
    faceData: r.face_data, keyId: r.key_id, caseRef: r.case_ref, createdAt: new Date(r.created_at).toISOString(),
  };
}

/** The signed document (with the full holder code) — only for the holder or an authorized user. */
export function licenseDocument(core: Core, r: LicenseRow): LicenseDocument {
  return JSON.parse(r.canonical) as LicenseDocument;
}

export function holderCode(core: Core, r: LicenseRow): string {
  return core.crypto.decrypt(core.keys.field, r.holder_code_enc, Buffer.from('license.holder_code')).toString('utf8');
}

/** Verifies a document + signature with the published key it names. Never throws. */
export async function verifyDocument(ex: Executor, doc: LicenseDocument, signature: Uint8Array): Promise<boolean> {
  try {
    const key = await publicKeyOf(ex, doc.keyId);
    if (!key || key.algorithm !== doc.algorithm || key.issuerCode !== doc.issuer?.code) return false;
    return cryptoFor(key.algorithm).verify({ algorithm: key.algorithm as 'SM2-with-SM3' | 'Ed25519', publicKey: key.publicKey }, Buffer.from(canonicalize(doc), 'utf8'), signature);
  } catch {
    return false;
  }
}

/**
 * Is the stored license authentic? The signature must verify over the stored canonical text, and
 * the canonical text must say what the columns say — an edit to either is caught.
 */
export async function verifyRow(core: Core, ex: Executor, r: LicenseRow): Promise<boolean> {
  let doc: LicenseDocument;
  try {
    doc = JSON.parse(r.canonical) as LicenseDocument;
  } catch {
    return false;
  }
  if (canonicalize(doc) !== r.canonical) return false;
  let columns = false;
  try {
    columns = doc.identifier === r.identifier && doc.typeCode === r.type_code && doc.licenseNumber === r.license_number
    && doc.holder.name === r.holder_name && doc.holder.codeType === r.holder_code_type && doc.holder.code === holderCode(core, r)
    && doc.issuer.code === r.issuer_code && doc.issuer.name === r.issuer_name && doc.jurisdiction === r.division
    && doc.issuedOn === dateText(r.issued_on) && doc.validFrom === dateText(r.valid_from) && doc.validUntil === dateText(r.valid_until)
    && doc.keyId === r.key_id && canonicalize(doc.faceData as never) === canonicalize(r.face_data as never);
  } catch {
    return false; // an undecryptable holder code is tampering too
  }
  if (!columns) return false;
  return verifyDocument(ex, doc, r.signature);
}
