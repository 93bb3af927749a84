// GB/T 38540-2020 (seal data version 4) structures with SM2/SM3: build an electronic seal (SESeal,
// signed by the seal maker), sign content with it (SES_Signature over TBS_Sign, SM3 dataHash), and
// verify a SES_Signature by the six steps of /work/shared/reference/domain-standards.md §4.5.
// Plain DER through core/crypto's helpers (no ASN.1 library exists for these structures in Node);
// SM2 signatures are DER SEQUENCE{r, s} in a BIT STRING, with the ID 1234567812345678; OpenSSL's
// CLI parses the output and verifies the signatures in the tests. An OFD package writer is NOT
// part of this (see README): the content signed here is any byte string (e.g. OFD's Signature.xml).
import { readChildren, readDer, tlv, oid, type DerNode } from '../../core/crypto/der.js';
import { sm2PublicKeyFromPem, sm2Sign, sm2Verify, sm3 } from '../../core/crypto/index.js';

export const OID_SM2_SM3 = '1.2.156.10197.1.501';
const SM2_SM3 = oid(OID_SM2_SM3);

// ------------------------------------------------------------------------------------ DER writing
function int(n: number): Buffer {
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let b = Buffer.from(hex, 'hex');
  if (b[0]! & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return tlv(0x02, b);
}
const ia5 = (s: string) => {
  if (!/^[\x20-\x7e]*$/.test(s)) throw new Error(`IA5String must be ASCII: ${s}`);
  return tlv(0x16, Buffer.from(s, 'ascii'));
};
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));
const octets = (b: Uint8Array) => tlv(0x04, b);
const bits = (b: Uint8Array) => tlv(0x03, Buffer.from([0]), b);
const seq = (...parts: Uint8Array[]) => tlv(0x30, ...parts);
/** GeneralizedTime, UTC, whole seconds: YYYYMMDDHHMMSSZ. */
const gtime = (d: Date) => tlv(0x18, Buffer.from(`${d.toISOString().slice(0, 19).replace(/[-:T]/g, '')}Z`, 'ascii'));

// ------------------------------------------------------------------------------------ DER reading
const kids = (n: DerNode, buf: Buffer) => readChildren(n, buf);
const whole = (n: DerNode, buf: Buffer) => buf.subarray(n.offset, n.end);
function readTime(n: DerNode): Date {
  const s = n.value.toString('ascii');
  const m = n.tag === 0x18 ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s) : /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m || (n.tag !== 0x18 && n.tag !== 0x17)) throw new Error('bad time');
  const year = n.tag === 0x18 ? Number(m[1]) : 2000 + Number(m[1]) - (Number(m[1]) >= 50 ? 100 : 0);
  return new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
}
const readInt = (n: DerNode) => Number.parseInt(n.value.toString('hex') || '0', 16);
const readBits = (n: DerNode) => {
  if (n.tag !== 0x03 || n.value[0] !== 0) throw new Error('bad BIT STRING');
  return n.value.subarray(1);
};

/** What the verifier needs from an X.509 certificate (SM2). */
export interface CertFacts {
  der: Buffer;
  tbs: Buffer;
  signature: Buffer;
  serialHex: string;
  notBefore: Date;
  notAfter: Date;
  publicKey: string; // 04‖x‖y hex
}

export function certFacts(der: Buffer): CertFacts {
  const top = readDer(der);
  const [tbsNode, , sigNode] = kids(top, der);
  if (!tbsNode || !sigNode) throw new Error('certificate: malformed');
  const f = kids(tbsNode, der);
  const o = f[0]!.tag === 0xa0 ? 1 : 0; // [0] version present
  const validity = kids(f[o + 3]!, der);
  return {
    der, tbs: whole(tbsNode, der), signature: readBits(sigNode), serialHex: f[o]!.value.toString('hex'),
    notBefore: readTime(validity[0]!), notAfter: readTime(validity[1]!), publicKey: sm2PublicKeyFromPem(whole(f[o + 5]!, der)),
  };
}

// ------------------------------------------------------------------------------------ building
export interface SealInput {
  /** Vendor id (SES_Header.vid) and seal id (esID). ASCII. */
  vid: string;
  esID: string;
  /** 1 = organisation seal, 2 = personal seal. */
  type: 1 | 2;
  name: string;
  /** DER certificates allowed to sign with this seal (certListType 1). */
  certs: Buffer[];
  createDate: Date;
  validStart: Date;
  validEnd: Date;
  picture: { type: string; data: Buffer; widthMm: number; heightMm: number };
  /** The seal maker (制章人): certificate and SM2 private key (64 hex). */
  maker: { certDer: Buffer; privateKey: string };
}

/** SESeal = { SES_SealInfo, maker cert, signAlgID, signedValue = SM2(maker, DER(SES_SealInfo)) }. */
export function buildSeal(s: SealInput): Buffer {
  const header = seq(ia5('ES'), int(4), ia5(s.vid));
  const property = seq(int(s.type), utf8(s.name), int(1), seq(...s.certs.map(octets)), gtime(s.createDate), gtime(s.validStart), gtime(s.validEnd));
  const picture = seq(ia5(s.picture.type), octets(s.picture.data), int(s.picture.widthMm), int(s.picture.heightMm));
  const sealInfo = seq(header, ia5(s.esID), property, picture);
  const makerKey = certFacts(s.maker.certDer).publicKey;
  return seq(sealInfo, octets(s.maker.certDer), SM2_SM3, bits(sm2Sign(s.maker.privateKey, sealInfo, makerKey)));
}

export interface SignInput {
  seal: Buffer;
  /** The protected bytes; dataHash = SM3(content). */
  content: Uint8Array;
  signer: { certDer: Buffer; privateKey: string };
  time: Date;
  /** TBS_Sign.propertyInfo, e.g. the signed file's path in an OFD package. ASCII. */
  propertyInfo: string;
}

/** SES_Signature = { TBS_Sign, signer cert, signatureAlgID, signature = SM2(signer, DER(TBS_Sign)) }. */
export function signWithSeal(i: SignInput): Buffer {
  const tbs = seq(int(4), i.seal, gtime(i.time), bits(sm3(i.content)), ia5(i.propertyInfo));
  const key = certFacts(i.signer.certDer).publicKey;
  return seq(tbs, octets(i.signer.certDer), SM2_SM3, bits(sm2Sign(i.signer.privateKey, tbs, key)));
}

// ------------------------------------------------------------------------------------ verifying
export interface StepResult {
  step: 1 | 2 | 3 | 4 | 5 | 6;
  name: string;
  ok: boolean;
  detail: string;
}

export interface SesVerification {
  valid: boolean;
  steps: StepResult[];
  seal?: { esID: string; name: string; type: number; validStart: string; validEnd: string };
  signedAt?: string;
  propertyInfo?: string;
}

export interface VerifyOptions {
  /** CA certificates (DER) trusted to issue maker and signer certificates. */
  trustedIssuers: Buffer[];
  /** Is this certificate (by serial, hex) revoked? */
  isRevoked?: (serialHex: string) => boolean;
}

function issuedByTrusted(c: CertFacts, issuers: CertFacts[]): boolean {
  return issuers.some((ca) => sm2Verify(ca.publicKey, c.tbs, c.signature));
}

/** The six verification steps; every step is reported, the first failure does not hide the rest. */
export function verifySesSignature(ses: Buffer, content: Uint8Array, opts: VerifyOptions): SesVerification {
  const steps: StepResult[] = [];
  const put = (step: StepResult['step'], name: string, ok: boolean, detail: string) => steps.push({ step, name, ok, detail });
  let parsed;
  try {
    const top = readDer(ses);
    if (top.tag !== 0x30 || top.end !== ses.length) throw new Error('not one SEQUENCE');
    const [tbsN, certN, algN, sigN] = kids(top, ses);
    const tbsF = kids(tbsN!, ses);
    const [verN, sealN, timeN, hashN, propN] = tbsF;
    const sealF = kids(sealN!, ses);
    const [infoN, makerCertN, makerAlgN, makerSigN] = sealF;
    const infoF = kids(infoN!, ses);
    const headerF = kids(infoF[0]!, ses);
    const propF = kids(infoF[2]!, ses);
    const certList = kids(propF[3]!, ses).map((n) => Buffer.from(n.value));
    parsed = {
      tbs: whole(tbsN!, ses), version: readInt(verN!), time: readTime(timeN!), dataHash: readBits(hashN!), propertyInfo: propN!.value.toString('ascii'),
      signerCert: Buffer.from(certN!.value), alg: whole(algN!, ses), signature: readBits(sigN!),
      sealInfo: whole(infoN!, ses), makerCert: Buffer.from(makerCertN!.value), makerAlg: whole(makerAlgN!, ses), makerSig: readBits(makerSigN!),
      header: { id: headerF[0]!.value.toString('ascii'), version: readInt(headerF[1]!) }, esID: infoF[1]!.value.toString('ascii'),
      sealType: readInt(propF[0]!), sealName: propF[1]!.value.toString('utf8'), certListType: readInt(propF[2]!), certList,
      validStart: readTime(propF[5]!), validEnd: readTime(propF[6]!),
    };
  } catch (e) {
    return { valid: false, steps: [{ step: 1, name: 'structure', ok: false, detail: `not a GB/T 38540 v4 SES_Signature: ${(e as Error).message}` }] };
  }
  const p = parsed;
  // 1. dataHash = SM3(content)
  put(1, 'dataHash', Buffer.from(sm3(content)).equals(p.dataHash), 'SM3 of the protected content vs TBS_Sign.dataHash');
  // 2. signer's SM2 signature over DER(TBS_Sign)
  let signer: CertFacts | null = null;
  try {
    signer = certFacts(p.signerCert);
  } catch { /* reported below */ }
  put(2, 'signature', !!signer && p.alg.equals(SM2_SM3) && p.version === 4 && sm2Verify(signer.publicKey, p.tbs, p.signature), 'SM2-with-SM3 signature over DER(TBS_Sign) with the signer certificate');
  // 3. maker's signature over the seal info (and the maker certificate from a trusted issuer)
  const issuers = opts.trustedIssuers.map(certFacts);
  let maker: CertFacts | null = null;
  try {
    maker = certFacts(p.makerCert);
  } catch { /* reported below */ }
  const makerOk = !!maker && p.header.id === 'ES' && p.header.version === 4 && p.makerAlg.equals(SM2_SM3) && sm2Verify(maker.publicKey, p.sealInfo, p.makerSig) && issuedByTrusted(maker, issuers);
  put(3, 'seal', makerOk, 'seal maker\'s SM2 signature over DER(SES_SealInfo); maker certificate issued by a trusted CA');
  // 4. signing time within the seal's validity
  put(4, 'seal-validity', p.time >= p.validStart && p.time <= p.validEnd, `signing time ${p.time.toISOString()} within ${p.validStart.toISOString()} – ${p.validEnd.toISOString()}`);
  // 5. signer certificate in the seal's certList
  put(5, 'cert-list', p.certListType === 1 && p.certList.some((c) => c.equals(p.signerCert)), 'signer certificate is one of the certificates bound to the seal');
  // 6. signer certificate valid at the signing time, from a trusted CA, not revoked; timestamp
  const certOk = !!signer && p.time >= signer.notBefore && p.time <= signer.notAfter && issuedByTrusted(signer, issuers) && !(opts.isRevoked?.(signer.serialHex) ?? false);
  put(6, 'certificate', certOk, 'signer certificate valid at the signing time, issued by a trusted CA, not revoked; no RFC 3161 timestamp (signing time from TBS_Sign.timeInfo)');
  return {
    valid: steps.every((s) => s.ok), steps,
    seal: { esID: p.esID, name: p.sealName, type: p.sealType, validStart: p.validStart.toISOString(), validEnd: p.validEnd.toISOString() },
    signedAt: p.time.toISOString(), propertyInfo: p.propertyInfo,
  };
}
