// What the wallet pages read: the holder's licenses, license types (for the type name and the face
// data's field titles), authorizations, the use log and e-bills — all typed from the OpenAPI
// document. The signed PDFs are fetched with the bearer token (a plain link would not carry it).
import { useEffect, useState } from 'react';
import { api, unwrap } from '../../../api/client';
import { saveBlob } from '../../../shared/download';

export const loadLicenses = () => unwrap(api.GET('/api/licenses/mine'));
export const loadTypes = () => unwrap(api.GET('/api/licenses/types'));
export const loadAuthorizations = () => unwrap(api.GET('/api/licenses/mine/authorizations'));
export const loadUses = () => unwrap(api.GET('/api/licenses/mine/uses'));
export const loadBills = () => unwrap(api.GET('/api/licenses/mine/bills'));

export type License = Awaited<ReturnType<typeof loadLicenses>>['items'][number];
export type LicenseType = Awaited<ReturnType<typeof loadTypes>>['items'][number];
export type Authorization = Awaited<ReturnType<typeof loadAuthorizations>>['items'][number];
export type Use = Awaited<ReturnType<typeof loadUses>>['items'][number];
export type Bill = Awaited<ReturnType<typeof loadBills>>['items'][number];

export const revokeAuthorization = (id: string) => unwrap(api.POST('/api/licenses/mine/authorizations/{id}/revoke', { params: { path: { id } } }));

/** Type code → type, so a card can say "食品经营许可证" rather than a 21-character code. */
export async function loadTypeMap(): Promise<Map<string, LicenseType>> {
  return new Map((await loadTypes()).items.map((x) => [x.code, x]));
}

/** The face data in the order of the type's schema, each with the schema's `title` if it has one. */
export function faceRows(license: License, type: LicenseType | undefined): Array<{ key: string; label: string; value: string }> {
  const props = ((type?.faceSchema as { properties?: Record<string, { title?: string }> } | undefined)?.properties) ?? {};
  const keys = [...Object.keys(props).filter((k) => k in license.faceData), ...Object.keys(license.faceData).filter((k) => !(k in props))];
  return keys.map((k) => {
    const v = license.faceData[k];
    return { key: k, label: props[k]?.title ?? k, value: v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v) };
  });
}

/** A file name a phone's download folder shows well: no path separators or reserved characters. */
export const safeFileName = (name: string): string => `${name.replace(/[\\/:*?"<>|\s]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 120) || 'download'}.pdf`;


export async function downloadLicensePdf(license: License, typeName: string): Promise<string> {
  const blob = await unwrap(api.GET('/api/licenses/{identifier}/pdf', { params: { path: { identifier: license.identifier } }, parseAs: 'blob' })) as unknown as Blob;
  const name = safeFileName(`${typeName}-${license.licenseNumber}`);
  await saveBlob(blob, name);
  return name;
}

export async function downloadBillPdf(bill: Bill, label: string): Promise<string> {
  const blob = await unwrap(api.GET('/api/licenses/bills/{billCode}/{billNumber}/pdf', { params: { path: { billCode: bill.billCode, billNumber: bill.billNumber } }, parseAs: 'blob' })) as unknown as Blob;
  const name = safeFileName(`${label}-${bill.billCode}-${bill.billNumber}`);
  await saveBlob(blob, name);
  return name;
}

export const licenseVerifyPath = (identifier: string) => `/verify/${encodeURIComponent(identifier)}`;
export const billVerifyPath = (b: Pick<Bill, 'billCode' | 'billNumber' | 'checkCode'>) =>
  `/verify/bill/${encodeURIComponent(b.billCode)}/${encodeURIComponent(b.billNumber)}?checkCode=${encodeURIComponent(b.checkCode)}`;

const divisionNames = new Map<string, string>();

/** Names of division codes (五华区 for 530102), looked up once each; the code stands in until then. */
export function useDivisionNames(codes: string[]): (code: string) => string {
  const [, setTick] = useState(0);
  const key = [...new Set(codes)].sort().join(',');
  useEffect(() => {
    let live = true;
    const missing = key ? key.split(',').filter((c) => !divisionNames.has(c)) : [];
    Promise.all(missing.map((code) => unwrap(api.GET('/api/divisions/{code}', { params: { path: { code } } }))
      .then((d) => divisionNames.set(code, d.name)).catch(() => divisionNames.set(code, code))))
      .then(() => live && missing.length > 0 && setTick((n) => n + 1));
    return () => { live = false; };
  }, [key]);
  return (code: string) => {
    const name = divisionNames.get(code);
    return name && name !== code ? `${name} (${code})` : code;
  };
}
