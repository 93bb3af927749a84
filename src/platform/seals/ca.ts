// The platform CA (self-managed) and the signing certificates it issues: one per license issuer
// (电子证照专用章) and one per registered seal. Keys are ECDSA P-256: PDF readers (poppler/NSS,
// Acrobat) verify it; SM2 certificates are for GB/T 38540 seals, not PAdES (see README).
// Names are Chinese and stay Chinese: OpenSSL writes them as UTF8String.
import { randomBytes, X509Certificate, createPrivateKey } from 'node:crypto';
import type { Core } from '../../core/index.js';
import { AppError } from '../../core/http/errors.js';
import { subjectArg, withWorkdir } from './openssl.js';

const CA_OWNER = 'platform';
const CA_SUBJECT: Array<[string, string]> = [['C', 'CN'], ['O', '云岭政务服务平台'], ['CN', '云岭政务服务平台电子印章根证书']];

export interface SignerMaterial {
  certificateId: string;
  certPem: string;
  keyPem: string;
  /** Issuer chain (the platform CA), included in the CMS so verifiers can build the path. */
  chainPem: string;
}

const wrapKey = (core: Core) => core.crypto.deriveKey(core.keys.secrets, 'yunling/seals/certificate-key/v1');
const aad = (ownerKey: string) => Buffer.from(`seal_certificate:${ownerKey}`);

async function stored(core: Core, kind: 'ca' | 'signer', ownerKey: string) {
  return core.db.selectFrom('seal_certificate').selectAll().where('kind', '=', kind).where('owner_key', '=', ownerKey).where('retired_at', 'is', null).executeTakeFirst();
}

async function save(core: Core, kind: 'ca' | 'signer', ownerKey: string, subject: string, certPem: string, keyPem: string, issuerId: string | null, imported = false) {
  const x = new X509Certificate(certPem);
  // Two first uses at once: the partial unique index keeps the first certificate.
  await core.db.insertInto('seal_certificate').values({
    kind, owner_key: ownerKey, subject, cert_pem: certPem, key_enc: core.crypto.encrypt(wrapKey(core), keyPem, aad(ownerKey)), issuer_id: issuerId,
    not_before: new Date(x.validFrom), not_after: new Date(x.validTo), imported,
  }).onConflict((oc) => oc.columns(['kind', 'owner_key']).where('retired_at', 'is', null).doNothing()).execute();
  return (await stored(core, kind, ownerKey))!;
}

const keyOf = (core: Core, row: { key_enc: Buffer | null; owner_key: string }) => core.crypto.decrypt(wrapKey(core), row.key_enc!, aad(row.owner_key)).toString('utf8');

/** The platform CA, created on first use (never inside a caller's transaction: it runs OpenSSL). */
export async function platformCa(core: Core): Promise<{ id: string; certPem: string; keyPem: string }> {
  let row = await stored(core, 'ca', CA_OWNER);
  if (!row) {
    const { certPem, keyPem } = await withWorkdir(async (w) => {
      await w.openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'ca.key');
      await w.openssl('req', '-x509', '-new', '-utf8', '-key', 'ca.key', '-subj', subjectArg(CA_SUBJECT), '-days', '7300', '-sha256',
        '-addext', 'basicConstraints=critical,CA:TRUE,pathlen:0', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-out', 'ca.pem');
      return { certPem: (await w.read('ca.pem')).toString(), keyPem: (await w.read('ca.key')).toString() };
    });
    row = await save(core, 'ca', CA_OWNER, CA_SUBJECT.map(([k, v]) => `${k}=${v}`).join(','), certPem, keyPem, null);
  }
  return { id: row.id, certPem: row.cert_pem, keyPem: keyOf(core, row) };
}

/**
 * The signing certificate of `ownerKey` (e.g. `license-issuer:<USCC>`), issued by the platform CA
 * on first use with subject C=CN, O=<organization>, CN=<name>.
 */
export async function signerCertificate(core: Core, ownerKey: string, subject: { organization: string; name: string; serialNumber?: string }): Promise<SignerMaterial> {
  let row = await stored(core, 'signer', ownerKey);
  const ca = await platformCa(core);
  if (!row) {
    const parts: Array<[string, string]> = [['C', 'CN'], ['O', subject.organization], ['CN', subject.name]];
    if (subject.serialNumber) parts.push(['serialNumber', subject.serialNumber]);
    const { certPem, keyPem } = await withWorkdir(async (w) => {
      await w.write('ca.pem', ca.certPem);
      await w.write('ca.key', ca.keyPem);
      await w.write('ext.cnf', 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n');
      await w.openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 's.key');
      await w.openssl('req', '-new', '-utf8', '-key', 's.key', '-subj', subjectArg(parts), '-out', 's.csr');
      await w.openssl('x509', '-req', '-in', 's.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', `0x${randomBytes(16).toString('hex')}`, '-days', '1825', '-sha256', '-extfile', 'ext.cnf', '-out', 's.pem');
      return { certPem: (await w.read('s.pem')).toString(), keyPem: (await w.read('s.key')).toString() };
    });
    row = await save(core, 'signer', ownerKey, parts.map(([k, v]) => `${k}=${v}`).join(','), certPem, keyPem, ca.id);
  }
  return { certificateId: row.id, certPem: row.cert_pem, keyPem: keyOf(core, row), chainPem: row.issuer_id ? ca.certPem : row.cert_pem };
}

/** Imports a real certificate and its private key (e.g. from a commercial CA) for `ownerKey`. */
export async function importSignerCertificate(core: Core, ownerKey: string, certPem: string, keyPem: string, chainPem = ''): Promise<string> {
  let x: X509Certificate;
  try {
    x = new X509Certificate(certPem);
    if (!x.checkPrivateKey(createPrivateKey(keyPem))) throw new Error('mismatch');
  } catch {
    throw new AppError('VALIDATION_FAILED', { 'zh-CN': '证书与私钥无效或不匹配', en: 'The certificate and private key are invalid or do not match' }, [{ pointer: '/body/certificate', code: 'certificate', message: 'certificate/key mismatch' }]);
  }
  await core.db.updateTable('seal_certificate').set({ retired_at: core.clock.now() }).where('kind', '=', 'signer').where('owner_key', '=', ownerKey).where('retired_at', 'is', null).execute();
  const row = await save(core, 'signer', ownerKey, x.subject.replace(/\n/g, ','), certPem + (chainPem ? `\n${chainPem}` : ''), keyPem, null, true);
  return row.id;
}
