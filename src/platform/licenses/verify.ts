// Public verification (no sign-in): is this license authentic, and what is its status? Shows the
// issuer, dates and status; the holder only masked (name 张*, ID number 5301**********1234).
import type { Core } from '../../core/index.js';
import { AppError, type Lang } from '../../core/http/errors.js';
import { maskName } from '../../core/validators/index.js';
import { t } from './access.js';
import { canonicalize, type LicenseDocument } from './canonical.js';
import { parseIdentifier } from './identifier.js';
import { effectiveStatus, verifyDocument, verifyRow, type EffectiveStatus } from './view.js';

export interface VerificationResult {
  identifier: string;
  /** The signature verifies with the issuer's published key and the record is unaltered. */
  signatureValid: boolean;
  status: EffectiveStatus;
  statusReason: string | null;
  supersededBy: string | null;
  typeCode: string;
  typeName: string;
  licenseNumber: string;
  issuer: { name: string; code: string };
  holder: { name: string; codeType: '111' | '001'; code: string };
  issuedOn: string;
  validFrom: string;
  validUntil: string | null;
  division: string;
  trustLevel: string;
  keyId: string;
  algorithm: string;
  checkedAt: string;
}

export function parseOrThrow(raw: string, lang: Lang, pointer = '/params/identifier') {
  const p = parseIdentifier(raw);
  if (!p.ok) throw new AppError('VALIDATION_FAILED', p.message, [{ pointer, code: p.reason === 'check' ? 'check-character' : 'format', message: t(lang, p.message) }]);
  return p;
}

export async function verifyLicense(core: Core, raw: string, lang: Lang): Promise<VerificationResult> {
  parseOrThrow(raw, lang);
  const identifier = raw.trim().toUpperCase();
  const row = await core.db.selectFrom('license').selectAll().where('identifier', '=', identifier).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', { 'zh-CN': '未查到该电子证照：标识格式正确，但没有这张证照的签发记录', en: 'No license with this identifier has been issued' });
  const signatureValid = await verifyRow(core, core.db, row);
  let doc: Partial<LicenseDocument> = {};
  try {
    doc = JSON.parse(row.canonical) as LicenseDocument;
  } catch { /* reported as an invalid signature */ }
  const now = core.clock.now();
  return {
    identifier, signatureValid, status: effectiveStatus(row, now), statusReason: row.status_reason, supersededBy: row.superseded_by,
    typeCode: row.type_code, typeName: doc.typeName ?? '', licenseNumber: row.license_number,
    issuer: { name: row.issuer_name, code: row.issuer_code },
    holder: { name: maskName(row.holder_name), codeType: row.holder_code_type, code: row.holder_code_masked },
    issuedOn: doc.issuedOn ?? '', validFrom: doc.validFrom ?? '', validUntil: doc.validUntil ?? null, division: row.division,
    trustLevel: doc.trustLevel ?? '', keyId: row.key_id, algorithm: doc.algorithm ?? '', checkedAt: now.toISOString(),
  };
}

/**
 * Verifies a license document presented by someone (e.g. a JSON export or the data behind a
 * PDF): the signature against the published key, and the registry status of that identifier.
 */
export async function verifyPresented(core: Core, doc: LicenseDocument, signature: Buffer, lang: Lang): Promise<{ signatureValid: boolean; registered: boolean; matchesRegistry: boolean; status: EffectiveStatus | null }> {
  parseOrThrow(String(doc.identifier ?? ''), lang, '/body/document/identifier');
  const signatureValid = await verifyDocument(core.db, doc, signature);
  const row = await core.db.selectFrom('license').select(['canonical', 'status', 'valid_until']).where('identifier', '=', String(doc.identifier).toUpperCase()).executeTakeFirst();
  return {
    signatureValid,
    registered: !!row,
    matchesRegistry: !!row && row.canonical === canonicalize(doc),
    status: row ? effectiveStatus(row, core.clock.now()) : null,
  };
}
