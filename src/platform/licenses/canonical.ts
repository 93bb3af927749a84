// The signed form of a license: its GB/T 36903 metadata as canonical JSON (keys sorted at every
// level, no insignificant whitespace, UTF-8). The signature covers exactly these bytes, so anyone
// holding the document and the issuer's published public key can verify it offline, and any
// changed character (a name, a date, one face-data field) breaks it.

/** GB/T 36903 metadata, named in English; README maps each to its standard item. */
export interface LicenseDocument {
  /** Format version of this serialization. */
  v: 1;
  identifier: string; // 电子证照标识
  typeCode: string; // 证照类型代码
  typeName: string; // 证照类型名称
  licenseNumber: string; // 证照编号
  holder: { name: string; codeType: '111' | '001'; code: string }; // 持证主体, 代码类型, 代码
  issuer: { name: string; code: string }; // 颁证单位, 颁证单位代码
  issuedOn: string; // 颁证日期
  validFrom: string; // 有效期起
  validUntil: string | null; // 有效期止 (null: 长期)
  jurisdiction: string; // 证照所属管辖属地编码
  trustLevel: string; // 可信等级
  faceData: Record<string, unknown>; // 照面信息
  keyId: string;
  algorithm: string;
}

function canonicalValue(v: unknown): string {
  if (v === null || typeof v !== 'object') {
    if (typeof v === 'number' && !Number.isFinite(v)) throw new TypeError('non-finite number in a license');
    if (v === undefined) return 'null';
    return JSON.stringify(v);
  }
  if (Array.isArray(v)) return `[${v.map(canonicalValue).join(',')}]`;
  const obj = v as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalValue(obj[k])}`).join(',')}}`;
}

/** Face data is normalised to NFC so that visually equal Chinese text signs identically. */
function nfc(v: unknown): unknown {
  if (typeof v === 'string') return v.normalize('NFC');
  if (Array.isArray(v)) return v.map(nfc);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.normalize('NFC'), nfc(x)]));
  return v;
}

export function canonicalize(doc: LicenseDocument): string {
  return canonicalValue(nfc(doc));
}

/** The same canonical JSON for any other signed document (e-bills). */
export function canonicalJson(doc: object): string {
  return canonicalValue(nfc(doc));
}
